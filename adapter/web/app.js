/**
 * app.js — the softphone page served by the cti-adapter at `/`.
 *
 * Everything about the adapter (finding it, reconnecting, resuming, keeping the call list) is
 * done by cti.js; this file only renders the client's state and turns clicks into commands.
 *
 * Rendering is keyed by call id: a call's card is created once and then updated in place, so
 * typing in a card's transfer field or focusing its buttons survives the events that follow.
 */
import { CtiClient, DEFAULT_PORTS } from './cti.js';

// ---------------------------------------------------------------------------------------------
// Setup
// ---------------------------------------------------------------------------------------------

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

/** How many ended calls the page lists. */
const RECENT_LIMIT = 5;
/** How many call logs one page of the history holds. */
const HISTORY_PAGE_SIZE = 10;
/** The dispositions an agent can give a call in its wrap-up (the first is preselected). */
const DISPOSITIONS = ['Resolved', 'Follow-up needed', 'Voicemail', 'Wrong number', 'Other'];
/** How long an error stays visible unless dismissed. */
const ERROR_VISIBLE_MS = 10000;

const KEYS = [
  ['1', ''], ['2', 'ABC'], ['3', 'DEF'],
  ['4', 'GHI'], ['5', 'JKL'], ['6', 'MNO'],
  ['7', 'PQRS'], ['8', 'TUV'], ['9', 'WXYZ'],
  ['*', ''], ['0', ''], ['#', ''],
];

const STATE_LABELS = {
  ringing: 'Ringing',
  dialing: 'Dialing',
  connected: 'Connected',
  held: 'On hold',
  ended: 'Ended',
};

const DIRECTION_LABELS = { inbound: 'Inbound', outbound: 'Outbound', internal: 'Internal' };
const DIRECTION_ICONS = { inbound: '↙', outbound: '↗', internal: '↔' };

const CONNECTION_LABELS = { connected: 'Connected', connecting: 'Connecting…', disconnected: 'Disconnected' };

/** Looks up an element of the static page by its data-testid. */
const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

const ui = {
  conn: byTestId('connection-status'),
  connText: byTestId('connection-text'),
  connPort: byTestId('connection-port'),
  driverName: byTestId('driver-name'),
  driverStatus: byTestId('driver-status'),
  driverDetail: byTestId('driver-detail'),
  error: byTestId('error-message'),
  errorAction: byTestId('error-action'),
  errorCode: byTestId('error-code'),
  errorText: byTestId('error-text'),
  errorDismiss: byTestId('error-dismiss'),
  incoming: byTestId('incoming-calls'),
  active: byTestId('active-calls'),
  noActive: byTestId('no-active-calls'),
  dialForm: byTestId('dial-form'),
  dialInput: byTestId('dial-input'),
  dialpad: byTestId('dialpad'),
  backspace: byTestId('dialpad-backspace'),
  dialButton: byTestId('dial'),
  recent: byTestId('recent-calls'),
  noRecent: byTestId('no-recent-calls'),
  pending: byTestId('pending-logs'),
  pendingCount: byTestId('pending-count'),
  pendingMore: byTestId('pending-more'),
  dialOutcome: byTestId('dial-outcome'),
  noPending: byTestId('no-pending-logs'),
  wrapupTitle: document.getElementById('wrapup-title'),
  wrapupHint: document.getElementById('wrapup-hint'),
  history: byTestId('history'),
  noHistory: byTestId('no-history'),
  historyMore: byTestId('history-more'),
  footer: byTestId('footer'),
  agent: byTestId('agent-state'),
  agentSelect: byTestId('agent-select'),
  agentCountdown: byTestId('agent-countdown'),
  pops: byTestId('screen-pop-list'),
  noPop: byTestId('no-screen-pop'),
  popAutoOpen: byTestId('pop-auto-open'),
};

const baseTitle = document.title;

/** @type {Map<string, {root: HTMLElement, [key: string]: any}>} cards of ringing calls */
const incomingCards = new Map();
/** @type {Map<string, {root: HTMLElement, [key: string]: any}>} cards of the other active calls */
const activeCards = new Map();
/** @type {{call: object, reason: string, detail: string}[]} newest first */
const recentCalls = [];

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

/**
 * Creates an element. `props`: attributes (`dataset`, `class`, `text` and `on*` handlers are
 * special); children: nodes or strings.
 * @returns {HTMLElement}
 */
function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

/** The party on the other end of a call log (call logs say `call_type`, calls `direction`). */
function logParty(log) {
  const party = log.call_type === 'outbound' ? log.to : log.from;
  return { number: (party && party.number) || '', name: (party && party.name) || '' };
}

/** A number of seconds as m:ss or h:mm:ss. */
function formatSeconds(total) {
  let s = Math.max(0, Math.floor(Number(total) || 0));
  const hours = Math.floor(s / 3600);
  s -= hours * 3600;
  const minutes = Math.floor(s / 60);
  const seconds = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** The party on the other end of a call. */
function otherParty(call) {
  const party = call.direction === 'outbound' ? call.to : call.from;
  return { number: (party && party.number) || '', name: (party && party.name) || '' };
}

/** Seconds between two times as m:ss or h:mm:ss. */
function formatDuration(fromIso, toMs = Date.now()) {
  const from = Date.parse(fromIso);
  if (Number.isNaN(from)) return '0:00';
  let s = Math.max(0, Math.floor((toMs - from) / 1000));
  const hours = Math.floor(s / 3600);
  s -= hours * 3600;
  const minutes = Math.floor(s / 60);
  const seconds = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** A call's running time: talk time once answered, otherwise time since it started. */
function callDuration(call) {
  return formatDuration(call.answered_at || call.started_at);
}

function formatClock(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  return new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

let errorTimer = null;

/** Shows a failed command: what was tried, the error code and the message. */
function showError(action, err) {
  const code = (err && err.code) || 'error';
  const message = (err && err.message) || String(err);
  ui.errorAction.textContent = action ? `${action} failed` : 'Error';
  ui.errorCode.textContent = code;
  ui.errorText.textContent = message;
  ui.error.dataset.code = code;
  ui.error.hidden = false;
  clearTimeout(errorTimer);
  errorTimer = setTimeout(clearError, ERROR_VISIBLE_MS);
}

function clearError() {
  clearTimeout(errorTimer);
  errorTimer = null;
  ui.error.hidden = true;
  delete ui.error.dataset.code;
  ui.errorAction.textContent = '';
  ui.errorCode.textContent = '';
  ui.errorText.textContent = '';
}

ui.errorDismiss.addEventListener('click', clearError);

/**
 * Runs one command for a button: disables the button while it is under way and shows a
 * failure in the error area. A new command clears the previous error.
 * @template T
 * @param {string} action  shown in the error, e.g. 'Hold'
 * @param {HTMLButtonElement|null} button
 * @param {() => Promise<T>} command
 * @returns {Promise<T|undefined>}
 */
async function runCommand(action, button, command) {
  clearError();
  if (button) {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
  }
  try {
    return await command();
  } catch (err) {
    showError(action, err);
    return undefined;
  } finally {
    if (button) {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Connection and driver
// ---------------------------------------------------------------------------------------------

client.on('connection', (info) => {
  ui.conn.dataset.state = info.state;
  ui.connText.textContent = CONNECTION_LABELS[info.state] || info.state;
  if (info.state === 'connected') {
    ui.conn.dataset.port = String(info.port);
    ui.connPort.textContent = `port ${info.port}`;
  } else if (info.state === 'disconnected' && info.retryInMs !== undefined) {
    ui.connPort.textContent = `retrying in ${Math.max(1, Math.round(info.retryInMs / 1000))} s`;
  } else {
    ui.connPort.textContent = '';
  }
  document.body.classList.toggle('offline', info.state !== 'connected');
});

// Why no adapter answered (cti.js reason/remedy). Kept while the client retries ('connecting'),
// cleared once connected; the Allow button only when the browser is what blocks us.
client.on('connection', (info) => {
  if (info.state === 'connecting') return;
  const notice = byTestId('access-notice');
  const reason = info.state === 'disconnected' && info.reason ? info.reason : '';
  notice.hidden = !reason;
  notice.dataset.reason = reason;
  byTestId('access-remedy').textContent = info.remedy || '';
  byTestId('access-blocked').hidden = reason !== 'blocked';
  byTestId('access-it').hidden = reason !== 'blocked';
});
byTestId('access-allow').addEventListener('click', () => {
  client.allowAccess().catch(() => { /* the connection event tells the outcome */ });
});

// A page served from another origin must be paired first: show the code the adapter's /pair
// page shows, and where to approve it.
client.on('pairing', (pairing) => {
  const notice = byTestId('pairing-notice');
  notice.hidden = pairing.state === 'paired';
  notice.dataset.state = pairing.state;
  byTestId('pairing-waiting').hidden = pairing.state !== 'waiting';
  byTestId('pairing-failed').hidden = pairing.state !== 'failed';
  if (pairing.state === 'waiting') {
    byTestId('pairing-code').textContent = pairing.code;
    const link = byTestId('pairing-link');
    link.href = pairing.approveAt;
    link.textContent = pairing.approveAt;
  }
  if (pairing.state === 'failed') byTestId('pairing-reason').textContent = pairing.reason || 'failed';
});
byTestId('pairing-retry').addEventListener('click', () => client.pair().catch((err) => showError('Pairing', err)));

client.on('driver', (driver) => {
  ui.driverName.textContent = driver.name || '–';
  ui.driverStatus.textContent = driver.status || 'unknown';
  ui.driverStatus.dataset.status = driver.status || 'unknown';
  ui.driverDetail.textContent = driver.detail || '';
  ui.driverDetail.hidden = !driver.detail;
});

client.on('hello', (hello) => {
  ui.footer.textContent = `cti-adapter ${hello.version || ''} · protocol ${hello.protocol ?? 1}`;
  // A phone system the adapter cannot dial through: the dialler says so instead of failing.
  const dials = client.can('dial');
  ui.dialButton.disabled = !dials;
  ui.dialButton.textContent = dials ? 'Dial' : 'Dial on your phone';
  ui.dialForm.dataset.canDial = String(dials);
});

client.on('error', (err) => showError('', err));

// ---------------------------------------------------------------------------------------------
// Agent state: ready, not ready with a reason, wrap-up (set by the adapter, counting down)
// ---------------------------------------------------------------------------------------------

const AGENT_LABELS = { ready: 'Ready', not_ready: 'Not ready', wrap_up: 'Wrap-up' };

/** The select's value for a state: `ready`, `not_ready:REASON` or `wrap_up`. */
function agentValue(agent) {
  if (!agent) return '';
  return agent.state === 'not_ready' ? `not_ready:${agent.reason || ''}` : agent.state;
}

/** One option per state the agent can choose, plus wrap-up, which only the adapter sets. */
function renderAgentOptions() {
  const options = [
    h('option', { value: 'ready' }, AGENT_LABELS.ready),
    ...client.notReadyReasons.map((reason) => h('option', { value: `not_ready:${reason}` }, `Not ready – ${reason}`)),
    h('option', { value: 'wrap_up', disabled: true }, AGENT_LABELS.wrap_up),
  ];
  ui.agentSelect.replaceChildren(...options);
}

function renderAgent() {
  const agent = client.agent;
  ui.agent.dataset.state = agent ? agent.state : 'unknown';
  ui.agent.dataset.reason = (agent && agent.reason) || '';
  const value = agentValue(agent);
  if (value && !ui.agentSelect.querySelector(`option[value="${CSS.escape(value)}"]`)) {
    // A reason this page does not offer (the config changed, or none yet on a first start).
    const label = agent.reason ? `Not ready – ${agent.reason}` : AGENT_LABELS.not_ready;
    ui.agentSelect.append(h('option', { value, disabled: true }, label));
  }
  ui.agentSelect.value = value;
  ui.agentSelect.disabled = !agent || !client.connected;
  renderAgentCountdown();
}

/** Wrap-up time left as m:ss; hidden outside wrap-up. */
function renderAgentCountdown() {
  const agent = client.agent;
  const ends = agent && agent.state === 'wrap_up' ? Date.parse(agent.wrap_up_ends_at) : NaN;
  ui.agentCountdown.hidden = Number.isNaN(ends);
  if (!Number.isNaN(ends)) {
    ui.agentCountdown.textContent = `${formatSeconds(Math.ceil((ends - Date.now()) / 1000))} left`;
  }
}

ui.agentSelect.addEventListener('change', () => {
  const [state, ...reason] = ui.agentSelect.value.split(':');
  const change = () => (state === 'not_ready' ? client.setAgentState('not_ready', reason.join(':')) : client.setAgentState('ready'));
  // No busy state on the select: disabling it would take the keyboard focus away.
  runCommand('Status', null, change).then(() => renderAgent());
});

client.on('hello', renderAgentOptions);
client.on('agent', renderAgent);
client.on('connection', renderAgent);

// ---------------------------------------------------------------------------------------------
// Screen pops: the matched contact(s), the configured call fields and the pop action
// ---------------------------------------------------------------------------------------------

/** How many pops stay listed, newest first. */
const POP_LIMIT = 3;
const POP_LINK_LABELS = { record: 'Open the contact record', search: 'Search the CRM', new_record: 'Create a new record' };
const MATCH_LABELS = { none: '', single: '1 match', multiple: 'several matches' };
const FIELD_LABELS = {
  from_number: 'From', from_name: 'Caller', to_number: 'To', to_name: 'Called',
  call_type: 'Call type', call_id: 'Call id', started_at: 'Started',
};
const AUTO_OPEN_KEY = 'cti-adapter.autoOpenPops';

/** "contact.account_owner" -> "Account owner". */
function fieldLabel(key) {
  if (FIELD_LABELS[key]) return FIELD_LABELS[key];
  const name = key.replace(/^contact\./, '').replace(/_/g, ' ');
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function fieldText(key, value) {
  if (key === 'call_type') return DIRECTION_LABELS[value] || value;
  if (key === 'started_at') return formatClock(value);
  return value;
}

/** The other party of a popped call as the phone system names it, or "Unknown caller". */
function remoteParty(event) {
  const party = (event.call_type === 'outbound' ? event.called : event.caller) || {};
  return party.name || party.number || 'Unknown caller';
}

function createPopCard(event) {
  const matches = Array.isArray(event.matches) ? event.matches : [];
  const pop = event.pop || { kind: 'none', url: null };
  const fields = (Array.isArray(event.fields) ? event.fields : []).filter((f) => f && f.value);
  const matchList = matches.length
    ? h('ul', { class: 'pop-matches', 'data-testid': 'pop-matches' }, ...matches.map((contact) => h('li', {
      'data-testid': 'pop-match', dataset: { contactId: contact.id, source: contact.source || '' },
    },
    h('p', { class: 'pop-match-name', 'data-testid': 'pop-match-name' }, contact.name || contact.id),
    h('p', { class: 'pop-match-meta' }, [contact.id, ...Object.values(contact.fields || {})].filter(Boolean).join(' · ')))))
    : h('div', {},
      // No directory match: who the phone system says it is (the caller inbound, the number
      // dialled outbound); that the directory lacks them is a detail, not the headline.
      h('p', { class: 'pop-match-name', 'data-testid': 'pop-unknown' }, remoteParty(event)),
      h('p', { class: 'pop-match-meta', 'data-testid': 'pop-not-found' }, 'not in the directory'));
  const fieldList = fields.length
    ? h('dl', { class: 'pop-fields', 'data-testid': 'pop-fields' }, ...fields.flatMap((f) => [
      h('dt', {}, fieldLabel(f.key)),
      h('dd', { 'data-testid': 'pop-field', dataset: { key: f.key } }, fieldText(f.key, f.value)),
    ]))
    : null;
  const action = pop.kind !== 'none' && pop.url
    ? h('a', {
      class: 'pop-link', 'data-testid': 'pop-link', href: pop.url, target: '_blank', rel: 'noopener noreferrer',
      dataset: { kind: pop.kind },
    }, POP_LINK_LABELS[pop.kind] || pop.url)
    : h('p', { class: 'pop-none', 'data-testid': 'pop-none' }, 'Nothing to open for this call');
  return h('article', {
    class: 'pop-card', 'data-testid': 'screen-pop',
    dataset: { callId: event.call_id, match: event.match || 'none', popKind: pop.kind },
    'aria-label': `Screen pop: ${DIRECTION_LABELS[event.call_type] || event.call_type} call, ${MATCH_LABELS[event.match] || 'not in the directory'}`,
  },
  h('div', { class: 'pop-head' },
    h('span', {}, DIRECTION_LABELS[event.call_type] || event.call_type),
    h('span', { 'data-testid': 'pop-match-count' }, MATCH_LABELS[event.match] || '')),
  matchList,
  fieldList,
  action,
  pop.url ? h('p', { class: 'pop-match-meta', 'data-testid': 'pop-url' }, pop.url) : null);
}

client.on('screen_pop', (event) => {
  const card = createPopCard(event);
  const old = ui.pops.querySelector(`[data-call-id="${CSS.escape(event.call_id)}"]`);
  if (old) old.remove();
  ui.pops.prepend(card);
  while (ui.pops.children.length > POP_LIMIT) ui.pops.lastElementChild.remove();
  ui.noPop.hidden = true;
  // Browsers may block a window opened without a click; the link above is always there.
  // A pop handed on from a snapshot was opened already, when it first came.
  if (ui.popAutoOpen.checked && !event.replayed && event.pop && event.pop.url) window.open(event.pop.url, '_blank', 'noopener');
});

ui.popAutoOpen.checked = localStorage.getItem(AUTO_OPEN_KEY) === 'true';
ui.popAutoOpen.addEventListener('change', () => localStorage.setItem(AUTO_OPEN_KEY, String(ui.popAutoOpen.checked)));

// ---------------------------------------------------------------------------------------------
// Incoming calls (ringing)
// ---------------------------------------------------------------------------------------------

function createIncomingCard(call) {
  const card = { root: null };
  const answer = h('button', {
    type: 'button', class: 'button accept', 'data-testid': 'answer',
    onclick: () => runCommand('Answer', answer, () => client.answer(call.id)),
  }, 'Answer');
  const decline = h('button', {
    type: 'button', class: 'button danger', 'data-testid': 'decline',
    onclick: () => runCommand('Decline', decline, () => client.decline(call.id)),
  }, 'Decline');
  card.kind = h('p', { class: 'incoming-kind' });
  card.name = h('p', { class: 'caller-name', 'data-testid': 'caller-name' });
  card.number = h('p', { class: 'caller-number', 'data-testid': 'caller-number' });
  card.timer = h('span', { class: 'ring-time', 'data-testid': 'ring-duration' });
  card.answer = answer;
  card.decline = decline;
  card.phoneOnly = h('p', { class: 'phone-only', 'data-testid': 'phone-only' });
  card.root = h('article', {
    class: 'call-card incoming-card', 'data-testid': 'incoming-call',
    dataset: { callId: call.id },
  },
  h('div', { class: 'incoming-head' }, card.kind, card.timer),
  card.name,
  card.number,
  h('div', { class: 'actions' }, answer, decline),
  card.phoneOnly);
  return card;
}

function updateIncomingCard(card, call) {
  const party = otherParty(call);
  const who = party.name || party.number || 'Unknown caller';
  card.root.dataset.state = call.state;
  card.root.dataset.direction = call.direction;
  card.root.setAttribute('aria-label', `${call.direction === 'internal' ? 'Internal' : 'Incoming'} call from ${who}`);
  card.kind.textContent = call.direction === 'internal' ? 'Internal call' : 'Incoming call';
  card.name.textContent = party.name || 'Unknown caller';
  card.number.textContent = party.number;
  card.timer.textContent = callDuration(call);
  card.answer.setAttribute('aria-label', `Answer call from ${who}`);
  card.decline.setAttribute('aria-label', `Decline call from ${who}`);
  // Only what the phone can do from here (a desk phone watched by the SIP driver answers on the
  // phone itself); the rest is said in a word.
  card.answer.hidden = !client.can('answer', call);
  card.decline.hidden = !client.can('decline', call);
  card.phoneOnly.textContent = card.answer.hidden ? 'answer on your phone' : '';
  card.phoneOnly.hidden = !card.answer.hidden;
}

// ---------------------------------------------------------------------------------------------
// Active calls (dialing, connected, held)
// ---------------------------------------------------------------------------------------------

function createActiveCard(call) {
  const id = call.id;
  const card = { root: null };

  card.name = h('p', { class: 'party-name', 'data-testid': 'call-party-name' });
  card.number = h('p', { class: 'party-number', 'data-testid': 'call-party-number' });
  card.state = h('span', { class: 'badge', 'data-testid': 'call-state' });
  card.direction = h('span', { 'data-testid': 'call-direction' });
  card.duration = h('span', { class: 'duration', 'data-testid': 'call-duration' });

  // One button that is Hold on a connected call and Resume on a held one.
  card.holdToggle = h('button', {
    type: 'button', class: 'button',
    onclick: () => {
      const current = client.getCall(id);
      if (current && current.state === 'held') {
        runCommand('Resume', card.holdToggle, () => client.resume(id));
      } else {
        runCommand('Hold', card.holdToggle, () => client.hold(id));
      }
    },
  });
  card.hangup = h('button', {
    type: 'button', class: 'button danger', 'data-testid': 'hangup',
    onclick: () => runCommand('Hang up', card.hangup, () => client.hangup(id)),
  }, 'Hang up');

  // Blind transfer.
  const transferId = `transfer-to-${cssSafe(id)}`;
  card.transferTo = h('input', {
    id: transferId, class: 'transfer-input', type: 'tel', inputmode: 'tel',
    placeholder: 'Transfer to…', 'data-testid': 'transfer-to', maxlength: '64', spellcheck: 'false',
  });
  card.transfer = h('button', { type: 'submit', class: 'button', 'data-testid': 'transfer' }, 'Transfer');
  card.transferRow = h('form', {
    class: 'transfer-row', autocomplete: 'off',
    onsubmit: (event) => {
      event.preventDefault();
      const to = card.transferTo.value.trim();
      if (!to) {
        card.transferTo.focus();
        return;
      }
      runCommand('Transfer', card.transfer, () => client.transfer(id, to)).then((data) => {
        if (data !== undefined) card.transferTo.value = '';
      });
    },
  },
  h('label', { class: 'visually-hidden', for: transferId }, 'Transfer to number'),
  card.transferTo, card.transfer);

  // DTMF keypad.
  card.sent = h('output', { class: 'dtmf-sent', 'data-testid': 'dtmf-sent', 'aria-live': 'polite' });
  const keypad = h('div', { class: 'keypad small', role: 'group', 'aria-label': 'Send tones' });
  for (const [key] of KEYS) {
    const button = h('button', {
      type: 'button', class: 'key', 'data-testid': `dtmf-${key}`, 'aria-label': `Send tone ${key}`,
      onclick: () => runCommand('DTMF', button, () => client.dtmf(id, key)).then((data) => {
        if (data !== undefined) card.sent.textContent = (card.sent.textContent + key).slice(-24);
      }),
    }, key);
    keypad.append(button);
  }
  card.dtmf = h('div', { class: 'dtmf' }, h('div', { class: 'dtmf-head' }, h('span', {}, 'Tones'), card.sent), keypad);

  card.root = h('article', {
    class: 'call-card active-card', 'data-testid': 'active-call', dataset: { callId: id },
  },
  h('div', { class: 'call-head' },
    h('div', { class: 'party', 'data-testid': 'call-party' }, card.name, card.number),
    card.state),
  h('p', { class: 'call-meta' }, card.direction, ' · ', card.duration),
  h('div', { class: 'actions' }, card.holdToggle, card.hangup),
  card.phoneOnly = h('p', { class: 'phone-only', 'data-testid': 'phone-only' }),
  card.transferRow,
  card.dtmf);
  return card;
}

function updateActiveCard(card, call) {
  const party = otherParty(call);
  const who = party.name || party.number || 'unknown';
  card.root.dataset.state = call.state;
  card.root.dataset.direction = call.direction;
  card.root.setAttribute('aria-label', `${STATE_LABELS[call.state] || call.state} call with ${who}`);
  card.name.textContent = party.name || party.number || 'Unknown';
  card.number.textContent = party.name ? party.number : '';
  card.state.textContent = call.state;
  card.state.dataset.state = call.state;
  card.state.title = STATE_LABELS[call.state] || call.state;
  card.direction.textContent = DIRECTION_LABELS[call.direction] || call.direction;
  card.duration.textContent = callDuration(call);

  const held = call.state === 'held';
  card.holdToggle.hidden = !client.can(held ? 'resume' : 'hold', call);
  card.holdToggle.textContent = held ? 'Resume' : 'Hold';
  card.holdToggle.dataset.testid = held ? 'resume' : 'hold';
  card.holdToggle.setAttribute('aria-label', held ? `Resume call with ${who}` : `Hold call with ${who}`);
  card.holdToggle.classList.toggle('on', held);
  card.hangup.setAttribute('aria-label', `Hang up call with ${who}`);
  card.hangup.hidden = !client.can('hangup', call);
  card.transferRow.hidden = !client.can('transfer', call);
  card.dtmf.hidden = !client.can('dtmf', call);
  // What the phone does not let the page do, in a word (the SIP driver watching a desk phone).
  card.phoneOnly.textContent = card.hangup.hidden ? 'hang up on your phone' : '';
  card.phoneOnly.hidden = !card.hangup.hidden;
}

/** A string usable inside an id attribute. */
function cssSafe(text) {
  return String(text).replace(/[^A-Za-z0-9_-]/g, '_');
}

/**
 * Brings a container's cards in line with `calls`: removes cards of calls that are gone,
 * creates cards for new calls, updates the rest in place.
 */
function syncCards(container, cards, calls, create, update) {
  const wanted = new Set(calls.map((c) => c.id));
  for (const [id, card] of cards) {
    if (!wanted.has(id)) {
      card.root.remove();
      cards.delete(id);
    }
  }
  for (const call of calls) {
    let card = cards.get(call.id);
    if (!card) {
      card = create(call);
      cards.set(call.id, card);
      container.append(card.root);
    }
    update(card, call);
  }
}

function renderCalls(calls) {
  const ringing = calls.filter((c) => c.state === 'ringing');
  const others = calls.filter((c) => c.state !== 'ringing');
  syncCards(ui.incoming, incomingCards, ringing, createIncomingCard, updateIncomingCard);
  syncCards(ui.active, activeCards, others, createActiveCard, updateActiveCard);
  ui.noActive.hidden = others.length > 0;

  if (ringing.length > 0) {
    const party = otherParty(ringing[0]);
    document.title = `☎ ${party.name || party.number} — incoming call`;
  } else {
    document.title = baseTitle;
  }
}

client.on('calls', renderCalls);

/** Running durations: one tick a second updates the timers only. */
setInterval(() => {
  renderAgentCountdown();
  for (const [id, card] of incomingCards) {
    const call = client.getCall(id);
    if (call) card.timer.textContent = callDuration(call);
  }
  for (const [id, card] of activeCards) {
    const call = client.getCall(id);
    if (call) card.duration.textContent = callDuration(call);
  }
}, 1000);

// ---------------------------------------------------------------------------------------------
// Recent calls
// ---------------------------------------------------------------------------------------------

/** What the agent is told when a dial did not go through, by end reason. */
const DIAL_FAILURES = {
  busy: 'is busy',
  rejected: 'refused the call',
  failed: 'could not be reached',
  missed: 'did not answer',
  driver_lost: 'was cut off: the phone system went away',
};

client.on('call.ended', (event) => {
  if (!event.call) return;
  const reason = event.reason || event.call.end_reason || 'normal';
  const detail = event.detail || event.call.end_detail || '';
  recentCalls.unshift({ call: event.call, reason, detail });
  recentCalls.length = Math.min(recentCalls.length, RECENT_LIMIT);
  renderRecent();
  if (event.call.direction === 'outbound' && !event.call.answered_at && DIAL_FAILURES[reason]) {
    const party = otherParty(event.call);
    ui.dialOutcome.textContent = `${party.name || party.number || 'The number'} ${DIAL_FAILURES[reason]}` +
      (detail ? ` (${detail})` : '');
    ui.dialOutcome.dataset.reason = reason;
    ui.dialOutcome.hidden = false;
  }
});

function renderRecent() {
  ui.recent.replaceChildren(...recentCalls.map(({ call, reason, detail }) => {
    const party = otherParty(call);
    const talk = call.answered_at && call.ended_at
      ? formatDuration(call.answered_at, Date.parse(call.ended_at))
      : '';
    const when = [formatClock(call.ended_at || call.started_at), talk].filter(Boolean).join(' · ');
    const callBack = party.number
      ? h('button', {
        type: 'button', class: 'icon-button', 'data-testid': 'recent-callback',
        'aria-label': `Call back ${party.name || party.number}`, title: 'Call back',
        onclick: (event) => runCommand('Dial', event.currentTarget, () => client.dial(party.number)),
      }, '✆')
      : null;
    return h('li', {
      class: 'recent-item', 'data-testid': 'recent-call',
      dataset: { callId: call.id, reason, direction: call.direction },
    },
    h('span', {
      class: `dir-icon dir-${call.direction}`, title: DIRECTION_LABELS[call.direction] || call.direction,
      'aria-label': DIRECTION_LABELS[call.direction] || call.direction,
    }, DIRECTION_ICONS[call.direction] || '•'),
    h('div', { class: 'recent-who' },
      h('p', { class: 'recent-party', 'data-testid': 'recent-party' }, party.name || party.number || 'Unknown'),
      h('p', { class: 'recent-number', 'data-testid': 'recent-number' }, party.name ? party.number : '')),
    h('div', { class: 'recent-side' },
      h('span', { class: `reason reason-${cssSafe(reason)}`, 'data-testid': 'recent-reason', title: detail }, reason),
      detail ? h('span', { class: 'recent-detail', 'data-testid': 'recent-detail' }, detail) : '',
      h('span', { class: 'recent-when' }, when)),
    callBack);
  }));
  ui.noRecent.hidden = recentCalls.length > 0;
}

// ---------------------------------------------------------------------------------------------
// Wrap-up: call logs no page has saved yet
// ---------------------------------------------------------------------------------------------

/** @type {Map<string, {root: HTMLFormElement, [key: string]: any}>} cards of pending call logs */
const pendingCards = new Map();
/** Numbers the cards, so the ids their labels point at are unique whatever the log ids hold. */
let pendingCardNumber = 0;

/** The facts shown for a call log: party, number, call type, end reason, duration, time. */
function logFacts(log, prefix) {
  const party = logParty(log);
  const reason = log.end_reason || 'normal';
  const when = formatClock(log.ended_at || log.started_at);
  return {
    party,
    head: h('div', { class: 'log-head' },
      h('p', { class: 'log-party', 'data-testid': `${prefix}-party` }, party.name || party.number || 'Unknown'),
      h('span', { class: `reason reason-${cssSafe(reason)}`, 'data-testid': `${prefix}-end-reason` }, reason)),
    meta: h('p', { class: 'log-meta' },
      h('span', { class: 'log-number', 'data-testid': `${prefix}-number` }, party.number),
      party.number ? ' · ' : '',
      h('span', { 'data-testid': `${prefix}-call-type` }, DIRECTION_LABELS[log.call_type] || log.call_type || ''),
      ' · ',
      h('span', { class: 'visually-hidden' }, 'talk time '),
      h('span', { class: 'duration', 'data-testid': `${prefix}-duration`, title: 'Talk time' }, formatSeconds(log.duration_s)),
      when ? ' · ' : '',
      when ? h('time', { datetime: log.ended_at || log.started_at }, when) : ''),
    // The phone system's reason, where the call did not come about ("486 Busy Here").
    detail: log.end_detail
      ? h('p', { class: 'log-detail', 'data-testid': `${prefix}-end-detail` }, log.end_detail)
      : '',
  };
}

function createPendingCard(log) {
  const id = log.log_id;
  const safe = `${++pendingCardNumber}-${cssSafe(id)}`;
  const card = { root: null, saving: false };
  const facts = logFacts(log, 'log');
  const who = facts.party.name || facts.party.number || 'unknown';

  card.disposition = h('select', { id: `log-disposition-${safe}`, class: 'log-select', 'data-testid': 'log-disposition' },
    ...DISPOSITIONS.map((label) => h('option', { value: label }, label)));
  card.notes = h('textarea', {
    id: `log-notes-${safe}`, class: 'log-notes', 'data-testid': 'log-notes', rows: '2', maxlength: '8000',
    'aria-describedby': 'wrapup-hint', placeholder: 'What was the call about?',
  });
  card.save = h('button', {
    type: 'submit', class: 'button primary', 'data-testid': 'log-save',
    'aria-label': `Save wrap-up of the call with ${who}`,
  }, 'Save');
  const warning = log.journaled === false
    ? h('p', { class: 'log-warning', 'data-testid': 'log-not-journaled' },
      'The adapter could not write this call to its log file.')
    : null;

  card.root = h('form', {
    class: 'log-card', 'data-testid': 'pending-log', dataset: { logId: id },
    'aria-label': `Wrap-up of the call with ${who}`, autocomplete: 'off',
    onsubmit: (event) => {
      event.preventDefault();
      savePendingLog(card, id);
    },
    onkeydown: (event) => {
      // Enter saves from the select and the notes; Shift+Enter keeps a new line in the notes.
      const field = event.target;
      if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
      if (field !== card.notes && field !== card.disposition) return;
      event.preventDefault();
      card.root.requestSubmit(card.save);
    },
  },
  facts.head,
  facts.meta,
  facts.detail,
  warning,
  h('div', { class: 'log-field' },
    h('label', { for: card.disposition.id }, 'Disposition'),
    card.disposition),
  h('div', { class: 'log-field' },
    h('label', { for: card.notes.id }, 'Notes'),
    card.notes),
  h('div', { class: 'actions' }, card.save));
  return card;
}

/** Saves one wrap-up. On success the client drops the log, and `logs` removes the card. */
async function savePendingLog(card, logId) {
  if (card.saving) return;
  card.saving = true;
  // Disabling the focused Save button drops the focus; remember where it was.
  card.hadFocus = card.root.contains(document.activeElement);
  card.root.setAttribute('aria-busy', 'true');
  card.notes.readOnly = true;
  const notes = card.notes.value.trim();
  await runCommand('Save', card.save, () => client.saveLog(logId, {
    disposition: card.disposition.value,
    notes: notes === '' ? undefined : notes,
  }));
  card.saving = false;
  card.hadFocus = false;
  card.root.removeAttribute('aria-busy');
  card.notes.readOnly = false;
}

function renderPending(logs) {
  // Newest first: the call that just ended is the one to wrap up.
  const ordered = [...logs].reverse();
  const wanted = new Set(ordered.map((log) => log.log_id));
  const active = document.activeElement;
  let focusLost = -1;
  let index = 0;
  for (const [id, card] of pendingCards) {
    if (!wanted.has(id)) {
      const nowhere = !active || active === document.body;
      if ((active && card.root.contains(active)) || (card.hadFocus && nowhere)) focusLost = index;
      card.root.remove();
      pendingCards.delete(id);
    } else {
      index++;
    }
  }
  // Create the new cards and put every card in its place without moving the others (moving a
  // node would take the focus away from a field being typed in).
  ordered.forEach((log, position) => {
    let card = pendingCards.get(log.log_id);
    if (!card) {
      card = createPendingCard(log);
      pendingCards.set(log.log_id, card);
    }
    const here = ui.pending.children[position];
    if (here !== card.root) ui.pending.insertBefore(card.root, here || null);
  });

  const count = ordered.length;
  if (count <= 1) pendingExpanded = false;
  showPendingFold(count);
  ui.pending.dataset.count = String(count);
  ui.pendingCount.textContent = String(count);
  ui.pendingCount.hidden = count === 0;
  ui.noPending.hidden = count > 0;
  ui.wrapupHint.hidden = count === 0;

  // The saved card had the focus: hand it to the card that took its place, or the heading.
  if (focusLost >= 0) {
    const next = ui.pending.children[Math.min(focusLost, ui.pending.children.length - 1)];
    const target = next ? next.querySelector('[data-testid="log-disposition"]') : ui.wrapupTitle;
    if (target) target.focus();
  }
}

/** Whether the older wrap-ups are shown; they fold away again once one or none is left. */
let pendingExpanded = false;

/** Shows the newest wrap-up and, folded or not, the others, with the button that says how many. */
function showPendingFold(count) {
  [...ui.pending.children].forEach((card, position) => {
    card.hidden = position > 0 && !pendingExpanded;
  });
  ui.pending.dataset.expanded = String(pendingExpanded);
  ui.pendingMore.hidden = count <= 1;
  ui.pendingMore.setAttribute('aria-expanded', String(pendingExpanded));
  ui.pendingMore.textContent = pendingExpanded ? 'Show only the newest' : `${count - 1} more to wrap up`;
}

ui.pendingMore.addEventListener('click', () => {
  pendingExpanded = !pendingExpanded;
  showPendingFold(ui.pending.children.length);
});

client.on('logs', renderPending);

// ---------------------------------------------------------------------------------------------
// History: every call log, newest first, a page at a time
// ---------------------------------------------------------------------------------------------

const logHistory = {
  /** @type {Map<string, object>} the logs shown, by log id */
  logs: new Map(),
  /** @type {Map<string, HTMLElement>} their list items */
  items: new Map(),
  /** cursor of the next page (`before`), or null when the last page is shown */
  next: null,
  loaded: false,
  loading: false,
  /** Bumped by every reload, so an answer to an older request is dropped. */
  generation: 0,
};

function createHistoryItem(log) {
  const facts = logFacts(log, 'history');
  const saved = !!log.acknowledged;
  const disposition = log.disposition
    ? h('span', { class: 'disposition', 'data-testid': 'history-disposition' }, log.disposition)
    : h('span', { class: 'disposition none', 'data-testid': 'history-disposition' }, saved ? 'No disposition' : 'Not wrapped up');
  return h('li', {
    class: 'history-item', 'data-testid': 'history-item', tabindex: '-1',
    dataset: { logId: log.log_id, cursor: String(log.cursor), acknowledged: String(saved) },
  },
  facts.head,
  facts.meta,
  facts.detail,
  h('p', { class: 'history-wrapup' }, disposition),
  log.notes ? h('p', { class: 'history-notes', 'data-testid': 'history-notes' }, log.notes) : null);
}

function renderHistory() {
  const ordered = [...logHistory.logs.values()].sort((a, b) => (b.cursor || 0) - (a.cursor || 0));
  const wanted = new Set(ordered.map((log) => log.log_id));
  for (const [id, item] of logHistory.items) {
    if (!wanted.has(id)) {
      item.remove();
      logHistory.items.delete(id);
    }
  }
  ordered.forEach((log, position) => {
    let item = logHistory.items.get(log.log_id);
    const fresh = createHistoryItem(log);
    if (!item) {
      item = fresh;
    } else if (item.innerHTML !== fresh.innerHTML || item.dataset.acknowledged !== fresh.dataset.acknowledged) {
      const hadFocus = document.activeElement === item;
      item.replaceWith(fresh);
      item = fresh;
      if (hadFocus) item.focus();
    }
    logHistory.items.set(log.log_id, item);
    const here = ui.history.children[position];
    if (here !== item) ui.history.insertBefore(item, here || null);
  });
  ui.noHistory.hidden = !logHistory.loaded || ordered.length > 0;
  ui.historyMore.hidden = !logHistory.loaded || logHistory.next === null || logHistory.next === undefined;
}

function setHistoryLoading(loading) {
  logHistory.loading = loading;
  ui.history.dataset.state = loading ? 'loading' : 'idle';
  ui.history.setAttribute('aria-busy', String(loading));
  // aria-disabled, not disabled: a disabled button would lose the keyboard focus.
  ui.historyMore.setAttribute('aria-disabled', String(loading));
}

/**
 * Loads the first page again (`reset`), or the next page. A failure is shown in the error area;
 * a reload because the connection came back says nothing when the connection is gone again.
 */
async function loadHistory(reset) {
  if (!reset && (logHistory.loading || logHistory.next === null)) return;
  const generation = reset ? ++logHistory.generation : logHistory.generation;
  const before = reset ? undefined : logHistory.next;
  const moreHadFocus = !reset && document.activeElement === ui.historyMore;
  setHistoryLoading(true);
  try {
    const page = await client.history({ limit: HISTORY_PAGE_SIZE, before });
    if (generation !== logHistory.generation) return;
    if (reset) logHistory.logs.clear();
    const firstNew = page.logs.find((log) => !logHistory.logs.has(log.log_id));
    for (const log of page.logs) {
      if (log && typeof log.log_id === 'string') logHistory.logs.set(log.log_id, log);
    }
    logHistory.next = page.next ?? null;
    logHistory.loaded = true;
    ui.history.dataset.loaded = 'true';
    renderHistory();
    // "More" went away with the last page: keep the keyboard user in the list.
    if (moreHadFocus && ui.historyMore.hidden && firstNew) {
      const item = logHistory.items.get(firstNew.log_id);
      if (item) item.focus();
    }
  } catch (err) {
    if (generation === logHistory.generation && !(reset && err.code === 'not_connected')) showError('History', err);
  } finally {
    if (generation === logHistory.generation) setHistoryLoading(false);
  }
}

ui.historyMore.addEventListener('click', () => {
  clearError();
  loadHistory(false);
});

// A snapshot means a new connection, a new adapter run or a resync: start the list afresh.
client.on('snapshot', () => queueMicrotask(() => loadHistory(true)));
// Back on the same run after a drop the events are replayed, so the list stays; unless it
// never loaded.
client.on('connection', (info) => {
  if (info.state !== 'connected') return;
  queueMicrotask(() => {
    if (!logHistory.loaded && !logHistory.loading) loadHistory(true);
  });
});

// Between reloads the events keep the list current: a new log goes on top, a saved one is
// updated in place (one not loaded yet comes with its page).
client.on('call_log', (event) => {
  const log = event.log;
  if (!logHistory.loaded || !log || log.journaled === false) return;
  logHistory.logs.set(log.log_id, log);
  renderHistory();
});

client.on('call_log.saved', (event) => {
  const log = event.log;
  if (!log || !logHistory.logs.has(log.log_id)) return;
  logHistory.logs.set(log.log_id, log);
  renderHistory();
});

// ---------------------------------------------------------------------------------------------
// Dial pad
// ---------------------------------------------------------------------------------------------

for (const [key, letters] of KEYS) {
  ui.dialpad.append(h('button', {
    type: 'button', class: 'key', 'data-testid': `dialpad-${key}`, 'aria-label': `Digit ${key}`,
    onclick: () => {
      ui.dialInput.value += key;
      ui.dialInput.focus();
    },
  }, h('span', { class: 'key-digit' }, key), h('span', { class: 'key-letters', 'aria-hidden': 'true' }, letters)));
}

ui.backspace.addEventListener('click', () => {
  ui.dialInput.value = ui.dialInput.value.slice(0, -1);
  ui.dialInput.focus();
});

ui.dialForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const to = ui.dialInput.value.trim();
  if (!to) {
    ui.dialInput.focus();
    return;
  }
  ui.dialOutcome.hidden = true;
  runCommand('Dial', ui.dialButton, () => client.dial(to)).then((data) => {
    if (data !== undefined) ui.dialInput.value = '';
  });
});

// ---------------------------------------------------------------------------------------------
// Click to dial, then go
// ---------------------------------------------------------------------------------------------

client.enableClickToDial(document, {
  onDial: () => clearError(),
  onError: (err) => showError('Dial', err),
});

renderRecent();
renderCalls([]);
renderPending([]);
renderHistory();
client.connect();
