/**
 * softphone.js — the cti-adapter softphone in Salesforce's utility bar.
 *
 * The page is Salesforce's (a Visualforce page and static resource, or any https page the call
 * center's reqAdapterUrl names); the phone is the cti-adapter on the agent's computer, reached
 * with cti.js over ws://127.0.0.1. cti.js ships next to this file, so the panel loads and can
 * say what is wrong even when the adapter is not running.
 *
 * Start-up: read the call center's settings (adapter ports, dispositions), wire the views and
 * the Salesforce bridge, tell Salesforce the softphone is ready, then connect to the adapter.
 */
import { CtiClient, DEFAULT_PORTS } from './cti.js';
import { diagnoseAdapter } from './adapter_probe.js';
import { AgentStateView } from './agent_state_view.js';
import { CallListView } from './call_list_view.js';
import { NoticeView } from './notice_view.js';
import { OpenCti } from './open_cti.js';
import { SalesforceBridge } from './salesforce_bridge.js';
import { UtilityItem } from './utility_item.js';
import { WrapUpStore } from './wrap_up_store.js';
import { WrapUpView } from './wrap_up_view.js';

/** Offered when the call center defines no `/ctiAdapter/dispositions`. */
const DEFAULT_DISPOSITIONS = ['Resolved', 'Follow-up needed', 'Left voicemail', 'No answer', 'Wrong number'];
const ERROR_VISIBLE_MS = 10000;
const SETTINGS_TIMEOUT_MS = 5000;

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

/**
 * The call center's own section of settings (call-center.xml, section `ctiAdapter`):
 * `ports` and `dispositions`, comma-separated, and `transport`. Missing or unreadable: the
 * defaults.
 */
async function readSettings(openCti) {
  let values = {};
  if (openCti.available) {
    try {
      // Salesforce answers at once; should it not, the panel still starts, with the defaults.
      const late = new Promise((resolve) => { setTimeout(() => resolve({}), SETTINGS_TIMEOUT_MS); });
      values = (await Promise.race([openCti.call('getCallCenterSettings'), late])) || {};
    } catch { /* use the defaults */ }
  }
  const list = (key) => String(values[`/ctiAdapter/${key}`] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const ports = list('ports').map(Number).filter((p) => Number.isInteger(p) && p > 0 && p < 65536);
  const dispositions = list('dispositions');
  // How the panel reaches the adapter: `auto` (the WebSocket, else the browser extension),
  // or `extension` where IT deploys the extension and the browser's local-network rules would
  // only ever block the WebSocket.
  const [transport] = list('transport');
  return {
    ports: ports.length ? ports : [...DEFAULT_PORTS],
    dispositions: dispositions.length ? dispositions : DEFAULT_DISPOSITIONS,
    transport: ['auto', 'websocket', 'extension'].includes(transport) ? transport : 'auto',
  };
}

function localStorageOrNull() {
  try {
    return window.localStorage;
  } catch {
    return null; // storage blocked for this frame: the page still works, without memory
  }
}

function showError(what, err) {
  const box = byTestId('error');
  const code = err && err.code ? `${err.code}: ` : '';
  box.textContent = `${what} failed — ${code}${err && err.message ? err.message : err}`;
  box.hidden = false;
  clearTimeout(showError.timer);
  showError.timer = setTimeout(() => { box.hidden = true; }, ERROR_VISIBLE_MS);
}

/** Shows the connection state, and when there is no connection, why and what to do. */
function watchConnection(client, ports, notice, openCti) {
  const status = byTestId('connection-status');
  let diagnosing = false;
  client.on('pairing', (pairing) => notice.showPairing(pairing, window.location.origin));
  client.on('connection', async ({ state, reason }) => {
    status.dataset.state = state;
    status.textContent = { connected: 'Connected', connecting: 'Connecting…', disconnected: 'Not connected' }[state];
    if (state === 'connected') {
      notice.showOpenCtiState(openCti.available);
      return;
    }
    if (state !== 'disconnected') return;
    if (reason === 'blocked') {
      // The browser's block hides whether the adapter runs: no point asking /health.
      if (!notice.showsBlocked) {
        notice.showBlocked(window.location.origin, () => client.allowAccess().catch(() => {}));
      }
      return;
    }
    if (diagnosing) return;
    diagnosing = true;
    const diagnosis = await diagnoseAdapter(ports);
    diagnosing = false;
    if (!client.connected) notice.showAdapterProblem(diagnosis, ports, window.location.origin);
  });
}

function wireDialer(client) {
  const input = byTestId('dial-input');
  byTestId('dial-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const number = input.value.trim();
    if (!number) return;
    try {
      await client.dial(number);
      input.value = '';
    } catch (err) {
      showError(`Dialing ${number}`, err);
    }
  });
}

async function start() {
  const openCti = new OpenCti(window.sforce && window.sforce.opencti);
  const settings = await readSettings(openCti);
  const client = new CtiClient({ ports: settings.ports, transport: settings.transport, appName: 'Salesforce softphone' });
  const notice = new NoticeView(byTestId('notice'));
  let render = () => {};
  const bridge = new SalesforceBridge(client, openCti, new WrapUpStore(localStorageOrNull()), {
    onError: showError,
    onChange: () => render(),
  });

  const calls = new CallListView(byTestId('calls'), {
    recordOf: (callId) => bridge.recordOf(callId),
    matchesOf: (callId) => bridge.matchesOf(callId),
    recordOnScreen: () => bridge.recordOnScreen(),
    onCommand: (command, call) => client[command](call.id).catch((err) => showError(command, err)),
    onTransfer: (callId, number) => client.transfer(callId, number).then(() => true, (err) => {
      showError(`Transferring to ${number}`, err);
      return false;
    }),
    onTone: (callId, digit) => client.dtmf(callId, digit).catch((err) => showError(`Tone ${digit}`, err)),
    onChooseMatch: (callId, record) => bridge.chooseMatch(callId, record),
    onLinkOnScreen: (callId) => bridge.linkToRecordOnScreen(callId),
  });
  const agent = new AgentStateView(
    { root: byTestId('agent-state'), select: byTestId('agent-select'), countdown: byTestId('agent-countdown') },
    {
      onChange: (state, reason) => (state === 'not_ready' ? client.setAgentState('not_ready', reason) : client.setAgentState('ready'))
        .catch((err) => showError('Changing the status', err)),
    },
  );
  const utilityItem = new UtilityItem(openCti);
  const wrapUps = new WrapUpView(
    { list: byTestId('wrap-up-list'), empty: byTestId('no-wrap-ups'), count: byTestId('wrap-up-count') },
    settings.dispositions,
    {
      onSave: (log, wrapUp) => bridge.save(log, wrapUp),
      saveState: (logId) => bridge.saveState(logId),
      taskCreated: (logId) => bridge.taskCreated(logId),
      submittedWrapUp: (logId) => bridge.submittedWrapUp(logId),
      recordOf: (callId) => bridge.recordOf(callId),
    },
  );
  render = () => {
    calls.render(client.calls, client.capabilities);
    wrapUps.render(client.pendingLogs);
    agent.render(client.agent, client.notReadyReasons, client.connected);
    utilityItem.show(client.connected, client.calls);
  };
  client.on('calls', render);
  client.on('logs', render);
  client.on('agent', render);
  client.on('connection', render);

  watchConnection(client, settings.ports, notice, openCti);
  wireDialer(client);
  bridge.start();
  // Salesforce shows the standby URL instead when this does not come within reqTimeout.
  openCti.notify('notifyInitializationComplete');
  client.connect();
}

start();
