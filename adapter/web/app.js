/**
 * app.js — the softphone page served by the cti-adapter at `/`.
 *
 * Everything about the adapter (finding it, reconnecting, resuming, keeping the call list) is
 * done by cti.js; the views in softphone/ render parts of the page, each over its own root
 * element, and turn clicks into the commands they are given. This file creates the client and
 * the views and wires the client's events to them.
 */
import { CtiClient, DEFAULT_PORTS } from './cti.js';
import { AccessNoticeView } from './softphone/access_notice_view.js';
import { ActiveCallsView } from './softphone/active_calls_view.js';
import { AgentStateView } from './softphone/agent_state_view.js';
import { ConnectionView } from './softphone/connection_view.js';
import { DialView } from './softphone/dial_view.js';
import { ErrorView } from './softphone/error_view.js';
import { HistoryView } from './softphone/history_view.js';
import { IncomingCallsView } from './softphone/incoming_calls_view.js';
import { otherParty } from './softphone/format.js';
import { PairingNoticeView } from './softphone/pairing_notice_view.js';
import { RecentCallsView } from './softphone/recent_calls_view.js';
import { ScreenPopView } from './softphone/screen_pop_view.js';
import { WrapUpView } from './softphone/wrap_up_view.js';

/**
 * The ports to try. Served by the adapter itself (http://127.0.0.1:PORT/ or localhost), the
 * page's own port comes first: that is the adapter that served it, and the one whose origin it
 * has.
 * @returns {number[]}
 */
function adapterPorts() {
  const { protocol, hostname, port } = window.location;
  const local = ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
  const own = Number(port);
  if ((protocol === 'http:' || protocol === 'https:') && local && Number.isInteger(own) && own > 0) {
    return [own, ...DEFAULT_PORTS.filter((p) => p !== own)];
  }
  return [...DEFAULT_PORTS];
}

const client = new CtiClient({
  ports: adapterPorts(),
  host: '127.0.0.1',
  // The page served over https:// (the adapter's tls setting) talks wss:// back to it.
  secure: location.protocol === 'https:',
  commandTimeoutMs: 10000,
});

/** The dispositions an agent can give a call in its wrap-up (the first is preselected). */
const DISPOSITIONS = ['Resolved', 'Follow-up needed', 'Voicemail', 'Wrong number', 'Other'];

/** Looks up an element of the static page by its data-testid. */
const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

const errors = new ErrorView(byTestId('error-message'));
const run = (action, button, command) => errors.run(action, button, command);

const connection = new ConnectionView(byTestId('status-header'));
const access = new AccessNoticeView(byTestId('access-notice'), {
  onAllow: () => client.allowAccess().catch(() => { /* the connection event tells the outcome */ }),
});
const pairing = new PairingNoticeView(byTestId('pairing-notice'), {
  onRetry: () => client.pair().catch((err) => errors.show('Pairing', err)),
});
const agent = new AgentStateView(byTestId('agent-state'), {
  onChange: (state, reason) => run('Status', null,
    () => (state === 'not_ready' ? client.setAgentState('not_ready', reason) : client.setAgentState('ready'))),
});
const pops = new ScreenPopView(byTestId('screen-pops'), {
  storage: localStorage,
  open: (url) => window.open(url, '_blank', 'noopener'),
});
const incoming = new IncomingCallsView(byTestId('incoming-calls'), { phone: client, run });
const active = new ActiveCallsView(byTestId('calls-panel'), { phone: client, run });
const wrapUps = new WrapUpView(byTestId('wrap-up-panel'), DISPOSITIONS, {
  onSave: (logId, fields, button) => run('Save', button, () => client.saveLog(logId, fields)),
});
const dialer = new DialView(byTestId('dial-panel'), {
  onDial: (number, button) => run('Dial', button, () => client.dial(number)),
});
const recent = new RecentCallsView(byTestId('recent-panel'), {
  onCallBack: (number, button) => run('Dial', button, () => client.dial(number)),
});
const history = new HistoryView(byTestId('history-panel'), {
  loadPage: (options) => client.history(options),
  onError: (err) => errors.show('History', err),
  onMore: () => errors.clear(),
});
const footer = byTestId('footer');
const baseTitle = document.title;

// ---------------------------------------------------------------------------------------------
// Connection, pairing, driver
// ---------------------------------------------------------------------------------------------

client.on('connection', (info) => {
  connection.showConnection(info);
  document.body.classList.toggle('offline', info.state !== 'connected');
});
client.on('connection', (info) => access.showConnection(info));
client.on('pairing', (info) => pairing.show(info));
client.on('driver', (driver) => connection.showDriver(driver));

client.on('hello', (hello) => {
  footer.textContent = `cti-adapter ${hello.version || ''} · protocol ${hello.protocol ?? 1}`;
  dialer.setCanDial(client.can('dial'));
});

client.on('error', (err) => errors.show('', err));

// ---------------------------------------------------------------------------------------------
// Agent state and screen pops
// ---------------------------------------------------------------------------------------------

const showAgent = () => agent.render(client.agent, client.connected);
client.on('hello', () => agent.setReasons(client.notReadyReasons));
client.on('agent', showAgent);
client.on('connection', showAgent);

client.on('screen_pop', (event) => pops.show(event));

// ---------------------------------------------------------------------------------------------
// Calls: ringing, active, ended
// ---------------------------------------------------------------------------------------------

function showCalls(calls) {
  const ringing = calls.filter((c) => c.state === 'ringing');
  incoming.render(ringing);
  active.render(calls.filter((c) => c.state !== 'ringing'));
  if (ringing.length > 0) {
    const party = otherParty(ringing[0]);
    document.title = `☎ ${party.name || party.number} — incoming call`;
  } else {
    document.title = baseTitle;
  }
}

client.on('calls', showCalls);

/** Running durations: one tick a second updates the timers only. */
setInterval(() => {
  agent.tick();
  incoming.tick();
  active.tick();
}, 1000);

client.on('call.ended', (event) => {
  if (!event.call) return;
  const reason = event.reason || event.call.end_reason || 'normal';
  const detail = event.detail || event.call.end_detail || '';
  recent.add(event.call, reason, detail);
  dialer.showEnded(event.call, reason, detail);
});

// ---------------------------------------------------------------------------------------------
// Call logs: wrap-up and history
// ---------------------------------------------------------------------------------------------

client.on('logs', (logs) => wrapUps.render(logs));

// A snapshot means a new connection, a new adapter run or a resync: start the list afresh.
client.on('snapshot', () => queueMicrotask(() => history.load(true)));
// Back on the same run after a drop the events are replayed, so the list stays; unless it
// never loaded.
client.on('connection', (info) => {
  if (info.state !== 'connected') return;
  queueMicrotask(() => {
    if (!history.loaded && !history.loading) history.load(true);
  });
});
// Between reloads the events keep the list current.
client.on('call_log', (event) => history.addLog(event.log));
client.on('call_log.saved', (event) => history.updateLog(event.log));

// ---------------------------------------------------------------------------------------------
// Click to dial, then go
// ---------------------------------------------------------------------------------------------

client.enableClickToDial(document, {
  onDial: () => errors.clear(),
  onError: (err) => errors.show('Dial', err),
});

showCalls([]);
wrapUps.render([]);
client.connect();
