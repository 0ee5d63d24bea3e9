/**
 * cti.js — browser client for the cti-adapter (wire protocol version 1).
 *
 * An ES module with no dependencies and no build step. Import it from the adapter
 * (`http://127.0.0.1:PORT/cti.js`) or copy it next to your own page:
 *
 *   import { CtiClient } from './cti.js';
 *   const cti = new CtiClient();
 *   cti.on('call.ringing', (ev) => console.log('ringing', ev.call.from.number));
 *   cti.connect();
 *   await cti.dial('+14155550123');
 *
 * What the client does for you (see docs/PROTOCOL.md for the wire format):
 *  - finds the adapter: tries `ws://HOST:PORT/ws` for each port in order and keeps the first
 *    server whose first frame is a `hello` from `cti-adapter`;
 *  - reconnects forever after a drop, with exponential backoff (0.5 s doubling to 10 s, jittered);
 *  - keeps the list of active calls from the snapshot and the events;
 *  - keeps the agent's state (ready / not ready with a reason / wrap-up) from the snapshot and
 *    the `agent.state` events, and changes it with `setAgentState()`;
 *  - keeps the list of pending call logs (ended calls no page has saved yet) from the snapshot
 *    and the `call_log` / `call_log.saved` events, and saves them with `saveLog()`;
 *  - applies events strictly in `seq` order: an event is applied only when its `seq` is exactly
 *    one more than the last one applied, duplicates are ignored, and a gap triggers a session
 *    `resume`. After reconnecting to the same adapter run (same `epoch`) it resumes the event
 *    stream, so events that happened while it was away (for example `call.ended`) still arrive;
 *  - matches every command with its `result` by `id` and turns it into a Promise;
 *  - pairs with the adapter when it asks for a token (a page of any origin but the adapter's
 *    own): it authenticates with the token it stored (localStorage, per adapter host and port
 *    list), or else asks to pair and emits `pairing` with the code the user must see on the
 *    adapter's `/pair` page; it stores the token it is given, and forgets a token the adapter
 *    refuses (close 4001) or revoked (close 4003) and pairs again.
 *
 * The module touches no DOM at import time, so it can also be loaded in a worker or in Node
 * (pass a WebSocket implementation in the options there).
 */

/** Protocol version spoken by this client. */
export const PROTOCOL_VERSION = 1;

/** Ports the adapter listens on by default: `port` then `port_fallbacks`. */
export const DEFAULT_PORTS = Object.freeze([11000, 11001, 11002, 11003]);

/** Names of the events the adapter sends (section 3 of the protocol). */
export const EVENT_NAMES = Object.freeze([
  'call.ringing',
  'call.dialing',
  'call.connected',
  'call.held',
  'call.resumed',
  'call.ended',
  'screen_pop',
  'agent.state',
  'call_log',
  'call_log.saved',
  'driver.status',
]);

/** WebSocket.OPEN; spelled out so a WebSocket implementation without the constant works too. */
const WS_OPEN = 1;

/**
 * @typedef {Object} Party
 * @property {string} number
 * @property {string} name
 */

/**
 * A call as the adapter describes it (protocol section 3.1).
 * @typedef {Object} Call
 * @property {string} id
 * @property {'inbound'|'outbound'|'internal'} direction
 * @property {'ringing'|'dialing'|'connected'|'held'|'ended'} state
 * @property {Party} from
 * @property {Party} to
 * @property {string} started_at        ISO-8601 UTC
 * @property {string|null} answered_at
 * @property {string|null} ended_at
 * @property {string|null} end_reason
 * @property {string|null} end_detail      once ended: the phone system's reason in words, or ""
 * @property {string} driver
 */

/**
 * The journal record of an ended call (protocol section 3.3).
 * @typedef {Object} CallLog
 * @property {string} log_id
 * @property {string} call_id
 * @property {'inbound'|'outbound'|'internal'} call_type
 * @property {Party} from
 * @property {Party} to
 * @property {string} started_at          ISO-8601 UTC
 * @property {string|null} answered_at
 * @property {string} ended_at
 * @property {number} duration_s          from the answer to the end (0 when never answered)
 * @property {string|null} end_reason
 * @property {string|null} end_detail      the phone system's reason in words, or ""
 * @property {string} driver
 * @property {string|null} disposition
 * @property {string|null} notes
 * @property {boolean} acknowledged       true once a page saved it
 * @property {number} cursor              orders the records; pages `history()`
 * @property {boolean} [journaled]        false when the adapter could not write it to disk
 */

/**
 * The agent's state (protocol section 3).
 * @typedef {Object} AgentInfo
 * @property {'ready'|'not_ready'|'wrap_up'} state
 * @property {string|null} reason             `not_ready` only: one of `notReadyReasons`
 * @property {string} since                   ISO-8601 UTC
 * @property {string|null} wrap_up_ends_at    `wrap_up` only: when it turns `ready` by itself
 */

/**
 * A contact a caller's number matched (directory file or HTTP lookup).
 * @typedef {Object} Contact
 * @property {string} id
 * @property {string} name
 * @property {string[]} numbers
 * @property {Object<string, string>} fields   the other columns of the record
 * @property {'directory'|'http'|string} source
 */

/**
 * What a screen pop asks the page to open: nothing, the one matched record, a search, or a
 * new record. `url` is null for `none`.
 * @typedef {Object} PopAction
 * @property {'none'|'record'|'search'|'new_record'} kind
 * @property {string|null} url
 */

/**
 * @typedef {Object} DriverInfo
 * @property {string} name
 * @property {'connecting'|'connected'|'disconnected'|'stopped'|string} status
 * @property {string} detail
 */

/**
 * An event frame as received: `{v, type:'event', seq, epoch, name, call?, ...}`.
 * @typedef {Object} CtiEvent
 * @property {number} seq
 * @property {string} epoch
 * @property {string} name
 * @property {Call} [call]
 * @property {string} [reason]      `call.ended` only
 * @property {CallLog} [log]        `call_log` and `call_log.saved` only
 * @property {DriverInfo} [driver]  `driver.status` only
 * @property {AgentInfo} [agent]    `agent.state` only
 * @property {Contact[]} [matches]  `screen_pop` only: the contacts the number matched
 * @property {PopAction} [pop]      `screen_pop` only: what to open
 */

/**
 * Payload of the client-level `connection` event.
 * @typedef {Object} ConnectionInfo
 * @property {'connecting'|'connected'|'disconnected'} state
 * @property {number|null} port      the adapter's port (connected / disconnected), null while scanning
 * @property {string|null} epoch     the adapter run the client last saw
 * @property {number} [retryInMs]    disconnected only: when the next attempt starts
 * @property {number} [closeCode]    disconnected after a drop: the WebSocket close code
 * @property {'blocked'|'no_adapter'|'unreachable'} [reason]
 *   disconnected after a pass that found no adapter: why (see {@link UNREACHABLE_REMEDIES})
 * @property {string} [remedy]       with `reason`: what the user (or IT) can do, in plain words
 * @property {'websocket'|'extension'} [transport]  connected: how the client reaches the adapter
 */

/**
 * What a page can tell the user for each `reason` of a `disconnected` ConnectionInfo.
 *  - `blocked`: the browser has not allowed this page to reach the local network
 *    (Chrome's Local Network Access permission is `prompt` or `denied`); the adapter may well be
 *    running. `allowAccess()` from a click asks the user; IT can allow the origin by policy or
 *    install the browser extension (docs/ADMIN.md).
 *  - `no_adapter`: the browser lets this page through (permission `granted`, or the page is on
 *    the loopback address itself, where no check applies) and still nothing answered.
 *  - `unreachable`: the browser does not say (no `local-network-access` permission in its
 *    Permissions API, e.g. Firefox or Safari): either of the two above.
 */
export const UNREACHABLE_REMEDIES = Object.freeze({
  blocked: 'The browser blocks this page from reaching the phone adapter on this computer. ' +
    'Allow access to the phone adapter when the browser asks, or ask IT to allow this site by policy ' +
    'or to install the phone adapter extension.',
  no_adapter: 'No phone adapter is running on this computer. Start the CTI adapter (or ask IT to ' +
    'install it); the page connects by itself once it runs.',
  unreachable: 'The phone adapter cannot be reached: it is not running, or the browser blocks this ' +
    'page from reaching it. Start the CTI adapter; if it runs, allow this site local network access ' +
    'in the browser, or ask IT.',
});

/** Host names whose pages are on the loopback address themselves: no browser check applies. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Payload of the client-level `pairing` event (protocol section 1.3).
 * @typedef {Object} PairingInfo
 * @property {'waiting'|'paired'|'failed'} state
 * @property {string} [code]          waiting: the 6 digits the user compares on the /pair page
 * @property {string} [approveAt]     waiting: the adapter's /pair page, e.g. http://127.0.0.1:11000/pair
 * @property {number} [expiresInMs]   waiting: how long the request stays open
 * @property {string} [reason]        failed: `denied`, `expired`, or an error code
 */

/**
 * Where the client keeps its pairing tokens (default: `localStorage`, else memory).
 * @typedef {Object} TokenStore
 * @property {(key: string) => (string|null)} get
 * @property {(key: string, token: string) => void} set
 * @property {(key: string) => void} remove
 */

/**
 * @typedef {Object} CtiClientOptions
 * @property {number[]} [ports]               ports to try, in order (default 11000–11003)
 * @property {string} [host]                  default '127.0.0.1'
 * @property {boolean} [secure]               connect with wss:// (the adapter's `tls` setting, docs/TLS.md);
 *                                            default false
 * @property {number} [commandTimeoutMs]      how long a command waits for its result (default 10000)
 * @property {number} [handshakeTimeoutMs]    how long a port may take to send `hello` (default 5000)
 * @property {number} [reconnectDelayMs]      first reconnect delay (default 500)
 * @property {number} [maxReconnectDelayMs]   reconnect delay cap (default 10000)
 * @property {typeof WebSocket} [WebSocket]   WebSocket implementation (default globalThis.WebSocket)
 * @property {string} [appName]               the name /pair shows when this page asks to pair
 *                                            (default: the document's title, else 'web page')
 * @property {TokenStore} [tokenStore]        where pairing tokens are kept (default localStorage)
 * @property {'auto'|'websocket'|'extension'} [transport]
 *   how to reach the adapter (default 'auto'): 'websocket' opens ws://host:port/ws only;
 *   'extension' goes through the phone adapter browser extension only (window.postMessage to
 *   its content script, which reaches the adapter over native messaging); 'auto' tries the
 *   WebSocket first and the extension when it is present and the WebSocket did not get through
 * @property {number} [extensionTimeoutMs]    how long 'auto' waits for the extension to answer
 *                                            its ping before it counts as absent (default 300)
 */

/**
 * The error every failed command rejects with.
 *
 * `code` is the adapter's error code (`no_such_call`, `invalid_state`, `invalid_number`, …, see
 * protocol section 2.3) or one of the client-side codes:
 *  - `not_connected`: there is no connection to the adapter, or it dropped before the result came;
 *  - `timeout`: no result within `commandTimeoutMs`.
 */
export class CtiError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.name = 'CtiError';
    /** @type {string} */
    this.code = code;
  }
}

/**
 * Extracts the number from a `tel:` URI: strips the scheme and any `;parameters`, then
 * percent-decodes. Returns '' when `href` is not a `tel:` URI or holds no number.
 *
 *   parseTelHref('tel:+1-415-555-0199;ext=12') === '+1-415-555-0199'
 *   parseTelHref('tel:%2B14155550199')         === '+14155550199'
 *
 * @param {string|null|undefined} href
 * @returns {string}
 */
export function parseTelHref(href) {
  if (typeof href !== 'string') return '';
  const match = /^\s*tel:([^;]*)/i.exec(href);
  if (!match) return '';
  let number = match[1];
  try {
    number = decodeURIComponent(number);
  } catch {
    // A malformed %-escape: keep the raw text; the adapter validates the number anyway.
  }
  return number.trim();
}

/**
 * Asks `GET /probe` on each port in order who is listening; resolves with
 * `{product, version, port}` of the first cti-adapter that answers, or null when none does.
 *
 * Call it from a user gesture (a click) before `connect()`: a page on a public origin that
 * fetches a loopback address makes Chrome show its Local Network Access prompt, and the
 * WebSocket only gets through once the agent (or an admin policy) has allowed it. See
 * docs/BROWSER-CLIENT.md, "Local network access".
 *
 * @param {{ports?: number[], host?: string, timeoutMs?: number, fetch?: typeof fetch}} [options]
 * @returns {Promise<{product: string, version: string, port: number}|null>}
 */
export async function probe(options = {}) {
  const ports = Array.isArray(options.ports) && options.ports.length ? options.ports : DEFAULT_PORTS;
  const fetchImpl = options.fetch || globalThis.fetch;
  for (const port of ports) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 3000);
    try {
      const response = await fetchImpl(`http://${options.host || '127.0.0.1'}:${port}/probe`, {
        mode: 'cors', cache: 'no-store', credentials: 'omit', signal: controller.signal,
        targetAddressSpace: 'loopback',  // Chrome's Local Network Access; others ignore it
      });
      const body = response.ok ? await response.json() : null;
      if (body && body.product === 'cti-adapter') return { product: body.product, version: body.version, port };
    } catch {
      // Nothing listening, another program, or the browser blocked it: try the next port.
    } finally {
      clearTimeout(timer);
    }
  }
  return null;
}

/** The call states in which each call control applies (CtiClient#can). */
const CALL_STATES_FOR = Object.freeze({
  answer: ['ringing'],
  decline: ['ringing'],
  hold: ['connected'],
  resume: ['held'],
  transfer: ['connected', 'held'],
  dtmf: ['connected'],
  hangup: ['dialing', 'connected', 'held'],
});

/**
 * Client for one cti-adapter. Create it, subscribe to events with `on()`, call `connect()`.
 */
export class CtiClient {
  /** @param {CtiClientOptions} [options] */
  constructor(options = {}) {
    const ports = Array.isArray(options.ports) && options.ports.length ? options.ports : DEFAULT_PORTS;
    /** @private @type {'auto'|'websocket'|'extension'} */
    this._transport = ['websocket', 'extension'].includes(options.transport) ? options.transport : 'auto';
    if (options.transport !== undefined && !['auto', 'websocket', 'extension'].includes(options.transport)) {
      throw new TypeError(`transport must be 'auto', 'websocket' or 'extension', not ${JSON.stringify(options.transport)}`);
    }
    /** @private */
    this._extensionTimeoutMs = options.extensionTimeoutMs ?? 300;
    /** @private @type {'websocket'|'extension'|null} The transport of the accepted connection. */
    this._via = null;
    /** @private Ports to try, de-duplicated, in order. */
    this._ports = [...new Set(ports.map(Number).filter((p) => Number.isInteger(p) && p > 0 && p < 65536))];
    /** @private */
    this._host = options.host || '127.0.0.1';
    /** @private ws:// or wss:// */
    this._scheme = options.secure ? 'wss' : 'ws';
    /** @private */
    this._commandTimeoutMs = options.commandTimeoutMs ?? 10000;
    /** @private */
    this._handshakeTimeoutMs = options.handshakeTimeoutMs ?? 5000;
    /** @private */
    this._minDelayMs = options.reconnectDelayMs ?? 500;
    /** @private */
    this._maxDelayMs = options.maxReconnectDelayMs ?? 10000;
    /** @private */
    this._WebSocket = options.WebSocket || globalThis.WebSocket;
    /** @private */
    this._appName = options.appName || (globalThis.document && globalThis.document.title) || 'web page';
    /** @private @type {TokenStore} */
    this._tokens = options.tokenStore || defaultTokenStore();
    /** @private True from a `hello` with `auth: "required"` until the full `hello`. */
    this._authPending = false;
    /** @type {PairingInfo|null} The last pairing state (null when the adapter asked for none). */
    this.pairing = null;

    /** @private @type {Map<string, Set<Function>>} */
    this._handlers = new Map();
    /** @private @type {Map<string, {resolve: Function, reject: Function, timer: any, type: string}>} */
    this._pending = new Map();
    /** @private */
    this._nextId = 0;

    // --- connection ---
    /** @private Whether connect() is in force (false before connect() and after close()). */
    this._running = false;
    /** @private @type {WebSocket|null} The accepted connection. */
    this._ws = null;
    /** @private @type {WebSocket|null} The socket being probed while scanning the ports. */
    this._probe = null;
    /** @private */
    this._probeTimer = null;
    /** @private */
    this._retryTimer = null;
    /** @private Failed attempts since the last good connection (drives the backoff). */
    this._attempt = 0;
    /** @private @type {'connecting'|'connected'|'disconnected'} */
    this._state = 'disconnected';
    /**
     * @private @type {'granted'|'prompt'|'denied'|null} The page's local network access
     * permission, null when the browser does not report it.
     */
    this._access = null;
    /** @private @type {Promise<void>|null} The permission query (made once, then followed). */
    this._accessQuery = null;
    /** @private @type {number|null} */
    this._port = null;
    /** @private @type {{resolve: Function, reject: Function}[]} Callers waiting in connect(). */
    this._connectWaiters = [];

    // --- session ---
    /** @private True between `hello` and the first `snapshot` of a connection. */
    this._awaitingSnapshot = false;
    /** @private True when this connection should resume the event stream instead of starting over. */
    this._resumeOnSnapshot = false;
    /** @private True while a session `resume` is waiting for its result. */
    this._resumeInFlight = false;
    /** @private Identifies the resume in flight, so a stale one cannot clear a newer one's flag. */
    this._resumeToken = 0;

    /** @type {Object|null} The last `hello` frame. */
    this.hello = null;
    /** @type {string|null} The adapter run whose state the client holds. */
    this.epoch = null;
    /** @type {number|null} `seq` of the last event applied (null until the first snapshot). */
    this.lastSeq = null;
    /** @type {DriverInfo|null} */
    this.driver = null;
    /** @type {AgentInfo|null} The agent's state (from the snapshot and `agent.state`). */
    this.agent = null;
    /** @type {string[]} The reasons `setAgentState('not_ready', reason)` accepts (from `hello`). */
    this.notReadyReasons = [];
    /** @private @type {Map<string, Call>} Active calls by id. */
    this._calls = new Map();
    /** @private @type {Map<string, CallLog>} Call logs not saved yet, by log id, oldest first. */
    this._logs = new Map();
  }

  // ------------------------------------------------------------------------------------------
  // Public state
  // ------------------------------------------------------------------------------------------

  /** @returns {'websocket'|'extension'|null} How the current (or last) connection reaches the adapter. */
  get transport() {
    return this._via;
  }

  /** @returns {'connecting'|'connected'|'disconnected'} */
  get connectionState() {
    return this._state;
  }

  /** @returns {boolean} true while a connection to an adapter is established. */
  get connected() {
    return this._state === 'connected';
  }

  /** @returns {number|null} The port of the adapter currently (or last) connected. */
  get port() {
    return this._port;
  }

  /** @returns {string[]} Call-control commands the adapter's driver supports (from `hello`). */
  get capabilities() {
    return (this.hello && Array.isArray(this.hello.capabilities)) ? [...this.hello.capabilities] : [];
  }

  /**
   * Whether the phone can do `action` now: the driver advertises it (`hello.capabilities`) and,
   * for a call, the call's state allows it (answer and decline a ringing call, hold a connected
   * one, resume a held one, transfer either, tones while connected, hang up any call not
   * ringing). A page shows only the controls for which this is true; the adapter answers
   * `unsupported` for the rest.
   * @param {string} action 'answer', 'decline', 'hold', 'resume', 'transfer', 'dtmf', 'hangup', 'dial'
   * @param {Call|string} [call] the call (or its id) the control is for; none for 'dial'
   * @returns {boolean}
   */
  can(action, call) {
    if (!this.capabilities.includes(action)) return false;
    if (action === 'dial') return true;
    const target = typeof call === 'string' ? this.getCall(call) : call;
    if (!target) return false;
    const allowed = CALL_STATES_FOR[action];
    return allowed ? allowed.includes(target.state) : false;
  }

  /** @returns {Call[]} The active calls (ended calls are removed), oldest first. */
  get calls() {
    return [...this._calls.values()];
  }

  /**
   * @param {string} callId
   * @returns {Call|undefined}
   */
  getCall(callId) {
    return this._calls.get(callId);
  }

  /**
   * @returns {CallLog[]} The call logs no page has saved yet (ended calls waiting for their
   * wrap-up), oldest first.
   */
  get pendingLogs() {
    return [...this._logs.values()];
  }

  /**
   * @param {string} logId
   * @returns {CallLog|undefined} a pending call log
   */
  getPendingLog(logId) {
    return this._logs.get(logId);
  }

  // ------------------------------------------------------------------------------------------
  // Subscriptions
  // ------------------------------------------------------------------------------------------

  /**
   * Subscribes to an event. Names:
   *  - every adapter event: `call.ringing`, `call.dialing`, `call.connected`, `call.held`,
   *    `call.resumed`, `call.ended`, `screen_pop`, `agent.state`, `call_log`, `call_log.saved`,
   *    `driver.status` (handler gets the event frame);
   *  - `'*'`: every adapter event;
   *  - `connection`: {@link ConnectionInfo} whenever the connection state changes;
   *  - `hello`: the `hello` frame of each new connection;
   *  - `snapshot`: each snapshot applied (on connect, on resync, or from `snapshot()`);
   *  - `calls`: the array of active calls after every change;
   *  - `logs`: the array of pending call logs after every change;
 *  - `agent`: {@link AgentInfo} whenever the agent's state may have changed (snapshot,
 *    `agent.state`);
   *  - `driver`: {@link DriverInfo} whenever it may have changed (hello, snapshot, driver.status);
   *  - `pairing`: {@link PairingInfo} when the adapter wants this page paired: `waiting` with
   *    the code to show the user (and where to approve it), then `paired` or `failed`;
   *  - `error`: a {@link CtiError} for problems not tied to a command (an `error` frame from the
   *    adapter, a click-to-dial failure when no `onError` was given).
   *
   * @param {string} name
   * @param {(payload: any) => void} handler
   * @returns {() => void} a function that unsubscribes
   */
  on(name, handler) {
    if (typeof handler !== 'function') throw new TypeError('handler must be a function');
    let set = this._handlers.get(name);
    if (!set) this._handlers.set(name, (set = new Set()));
    set.add(handler);
    return () => this.off(name, handler);
  }

  /**
   * Removes a handler added with `on()`.
   * @param {string} name
   * @param {Function} handler
   */
  off(name, handler) {
    const set = this._handlers.get(name);
    if (set) set.delete(handler);
  }

  /**
   * @private
   * Calls the handlers of `name`. A throwing handler is reported and does not disturb the others
   * or the client.
   */
  _emit(name, payload) {
    const set = this._handlers.get(name);
    if (!set || set.size === 0) return;
    for (const handler of [...set]) {
      try {
        handler(payload);
      } catch (err) {
        console.error(`cti.js: a '${name}' handler threw:`, err);
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Connecting
  // ------------------------------------------------------------------------------------------

  /**
   * Starts connecting (and, after any drop, reconnecting forever until `close()`).
   * The Promise resolves with the `hello` frame once a connection is established and its first
   * snapshot has arrived. It waits as long as it takes (no adapter running means it keeps
   * waiting); it rejects only when `close()` is called first.
   *
   * @returns {Promise<Object>}
   */
  connect() {
    if (this._transport !== 'websocket') watchExtension();
    if (!this._WebSocket && this._transport === 'websocket') {
      return Promise.reject(new CtiError('not_connected', 'no WebSocket implementation available'));
    }
    if (this._running && this._state === 'connected' && !this._awaitingSnapshot) {
      return Promise.resolve(this.hello);
    }
    const promise = new Promise((resolve, reject) => this._connectWaiters.push({ resolve, reject }));
    this._watchAccess();
    if (!this._running) {
      this._running = true;
      this._attempt = 0;
      this._startScan();
    }
    return promise;
  }

  /**
   * Closes the connection and stops reconnecting. Commands still waiting reject with
   * `not_connected`. `connect()` may be called again later.
   */
  close() {
    if (!this._running && !this._ws) return;
    this._running = false;
    clearTimeout(this._retryTimer);
    this._retryTimer = null;
    this._abandonProbe();
    const ws = this._ws;
    this._ws = null;
    if (ws) {
      detach(ws);
      try { ws.close(1000, 'client closed'); } catch { /* already closing */ }
    }
    this._failPending('client closed');
    const waiters = this._connectWaiters.splice(0);
    for (const w of waiters) w.reject(new CtiError('not_connected', 'client closed'));
    this._setState('disconnected', { port: this._port });
  }

  /**
   * Lets the browser ask the user for access to the adapter, then connects at once. Call it from
   * a click (a user gesture): it fetches `/probe` (see {@link probe}), which makes Chrome show
   * its local network access prompt; once the user allowed it, the client scans the ports right
   * away instead of waiting for the next retry. Resolves with what `/probe` found (null when no
   * adapter answered: blocked, or none running).
   * @returns {Promise<{product: string, version: string, port: number}|null>}
   */
  async allowAccess() {
    const found = await probe({ ports: this._ports, host: this._host });
    if (this._accessQuery) await this._accessQuery;
    if (!this._running) {
      this.connect().catch(() => { /* close() was called; reported through `connection` */ });
    } else if (!this._ws && !this._probe) {
      this._attempt = 0;
      this._startScan();
    }
    return found;
  }

  /**
   * @private
   * Queries the local network access permission once and follows its changes: when the user
   * grants it (prompt, site settings), a client waiting to retry scans at once.
   */
  _watchAccess() {
    if (this._accessQuery) return;
    const permissions = globalThis.navigator && globalThis.navigator.permissions;
    if (!permissions || typeof permissions.query !== 'function') {
      this._accessQuery = Promise.resolve();
      return;
    }
    // Chromium names the loopback part of the check 'loopback-network' in newer builds and
    // 'local-network-access' before; a browser that knows neither rejects with a TypeError.
    const query = (/** @type {string} */ name) => permissions.query({ name: /** @type {any} */ (name) });
    this._accessQuery = query('loopback-network').catch(() => query('local-network-access')).then(
      (status) => {
        this._access = /** @type {any} */ (status.state);
        status.onchange = () => {
          this._access = /** @type {any} */ (status.state);
          if (status.state === 'granted' && this._running && !this._ws && !this._probe) {
            this._attempt = 0;
            this._startScan();
          }
        };
      },
      () => { /* TypeError: this browser does not know the permission; it tells us nothing */ });
  }

  /**
   * @private
   * Why a whole pass found no adapter. A blocked WebSocket and a closed port fail alike (code
   * 1006, no detail to the page), so the answer comes from what the browser says about the
   * permission: not granted means the browser blocked us, granted means nothing listens. A page
   * on the loopback address itself is never checked. Limits: a browser without the permission in
   * its Permissions API gives `unreachable`; a page outside a secure context cannot be granted
   * access at all (also reported as blocked when the permission says so).
   * @returns {'blocked'|'no_adapter'|'unreachable'}
   */
  _unreachableReason() {
    const page = globalThis.location;
    if (page && LOOPBACK_HOSTS.has(page.hostname)) return 'no_adapter';
    if (this._access === 'granted') return 'no_adapter';
    if (this._access === 'prompt' || this._access === 'denied') return 'blocked';
    return 'unreachable';
  }

  /** @private Starts one pass over the port list. */
  _startScan() {
    clearTimeout(this._retryTimer);
    this._retryTimer = null;
    this._setState('connecting', { port: null });
    this._probePort(0);
  }

  /**
   * @private
   * Opens `ws://host:ports[index]/ws` and waits for its first frame. A `hello` from cti-adapter
   * adopts the socket as the connection; anything else (refused, 403, another server, a wrong
   * first frame, no frame in time) closes it and moves on to the next port. After the last
   * port the next pass is scheduled with backoff.
   */
  _probePort(index) {
    if (!this._running) return;
    const ports = this._transport === 'extension' || !this._WebSocket ? [] : this._ports;
    if (index > ports.length) {
      this._endPass();
      return;
    }
    if (index === ports.length) {
      // After the WebSocket ports: the extension, if this transport may use it and it is there.
      if (this._transport === 'websocket') {
        this._endPass();
        return;
      }
      const settle = Promise.all([this._accessQuery || Promise.resolve(),
        extensionPresent(this._transport === 'extension' ? this._handshakeTimeoutMs : this._extensionTimeoutMs)]);
      settle.then(([, present]) => {
        if (!this._running || this._ws || this._probe || this._retryTimer) return;
        // 'auto' leaves a WebSocket the browser let through (no adapter runs) at that.
        const useful = this._transport === 'extension' || this._unreachableReason() !== 'no_adapter';
        if (present && useful) this._openCandidate(new ExtensionSocket(), null, index, 'extension');
        else this._endPass();
      });
      return;
    }
    const port = ports[index];
    let ws;
    try {
      ws = new this._WebSocket(`${this._scheme}://${this._host}:${port}/ws`);
    } catch {
      // e.g. a SecurityError: this port cannot be reached from here; try the next one.
      this._probePort(index + 1);
      return;
    }
    this._openCandidate(ws, port, index, 'websocket');
  }

  /**
   * @private
   * The end of a pass that found no adapter: says why, then waits to retry. The permission's
   * state is known once its query settled (at once, in practice).
   */
  _endPass() {
    const settle = this._accessQuery || Promise.resolve();
    settle.then(() => {
      if (!this._running || this._ws || this._probe || this._retryTimer) return;
      const reason = this._unreachableReason();
      this._scheduleRetry({ port: null, reason, remedy: UNREACHABLE_REMEDIES[reason] });
    });
  }

  /**
   * @private
   * Waits for the first frame of one candidate connection (a WebSocket on a port, or the
   * extension's channel): a `hello` adopts it, anything else moves on to the next candidate.
   */
  _openCandidate(ws, port, index, via) {
    this._probe = ws;
    let settled = false;
    const next = () => {
      if (settled) return;
      settled = true;
      clearTimeout(this._probeTimer);
      this._probeTimer = null;
      this._probe = null;
      detach(ws);
      try { ws.close(); } catch { /* not open yet */ }
      this._probePort(index + 1);
    };
    this._probeTimer = setTimeout(next, this._handshakeTimeoutMs);
    ws.onerror = next; // a close event follows; whichever comes first moves on
    ws.onclose = next;
    ws.onmessage = (msg) => {
      if (settled) return;
      const frame = parseFrame(msg.data);
      if (!frame || frame.type !== 'hello' || frame.product !== 'cti-adapter') {
        next();
        return;
      }
      settled = true;
      clearTimeout(this._probeTimer);
      this._probeTimer = null;
      this._probe = null;
      // Adopt synchronously, so not a single frame after `hello` can be missed.
      this._via = via;
      this._adopt(ws, port, frame);
    };
  }

  /** @private Stops a scan in progress (used by close()). */
  _abandonProbe() {
    clearTimeout(this._probeTimer);
    this._probeTimer = null;
    const ws = this._probe;
    this._probe = null;
    if (ws) {
      detach(ws);
      try { ws.close(); } catch { /* not open yet */ }
    }
  }

  /** @private Makes `ws` the connection; `hello` is its first frame. */
  _adopt(ws, port, hello) {
    this._ws = ws;
    this._port = port;
    ws.onmessage = (msg) => this._onMessage(ws, msg.data);
    ws.onclose = (ev) => this._onClose(ws, ev);
    ws.onerror = () => { /* the close event that follows does the work */ };
    if (hello.auth === 'required') this._authenticate();
    else this._onHello(hello);
  }

  // ------------------------------------------------------------------------------------------
  // Pairing (protocol section 1.3)
  // ------------------------------------------------------------------------------------------

  /** @private The key of this adapter's token: pages may talk to several port lists. */
  _tokenKey() {
    return `cti-adapter.token.${this._host}:${this._ports.join(',')}`;
  }

  /** @private The adapter wants a token: the stored one, else a pairing request. */
  _authenticate() {
    this._authPending = true;
    const token = this._tokens.get(this._tokenKey());
    if (!token) {
      this.pair().catch(() => { /* reported through the `pairing` event */ });
      return;
    }
    // A refused token closes the connection with 4001; _onClose forgets it.
    this._command('authenticate', { token }, 'a').catch(() => {});
  }

  /**
   * Asks the adapter to pair this page (again, e.g. after the user denied it). The client does
   * this by itself when it has no token. Resolves with the `pairing` info (state `waiting`,
   * with the code to show); the token itself arrives once the user approves on the adapter's
   * `/pair` page, and the client then connects fully on its own.
   * @returns {Promise<PairingInfo>}
   */
  pair() {
    if (!this._ws || !this._authPending) {
      return Promise.reject(new CtiError('not_connected', 'no connection is waiting to pair'));
    }
    return this._command('pair', { name: String(this._appName).slice(0, 100) }, 'p').then(
      (data) => this._setPairing({
        state: 'waiting', code: data.code, approveAt: data.approve_at, expiresInMs: data.expires_in_ms,
      }),
      (err) => {
        this._setPairing({ state: 'failed', reason: err.code });
        throw err;
      });
  }

  /** @private */
  _setPairing(info) {
    this.pairing = info;
    this._emit('pairing', info);
    return info;
  }

  /** @private The user approved: the only frame that carries the token. */
  _onPaired(frame) {
    if (typeof frame.token === 'string' && frame.token) this._tokens.set(this._tokenKey(), frame.token);
    this._setPairing({ state: 'paired' });
  }

  /** @private Denied, or expired before the user decided (then ask again). */
  _onPairingFailed(frame) {
    const reason = typeof frame.reason === 'string' ? frame.reason : 'failed';
    this._setPairing({ state: 'failed', reason });
    if (reason === 'expired') this.pair().catch(() => {});
  }

  /** @private A connection dropped. */
  _onClose(ws, ev) {
    if (ws !== this._ws) return;
    detach(ws);
    this._ws = null;
    this._authPending = false;
    // 4001: the token was refused (unknown, revoked while away, another origin's); 4003: it
    // was revoked now. Either way it is useless: forget it, and pair on the next connection.
    if (ev && (ev.code === 4001 || ev.code === 4003)) this._tokens.remove(this._tokenKey());
    this._awaitingSnapshot = false;
    this._resumeOnSnapshot = false;
    this._resumeInFlight = false;
    this._resumeToken++;
    this._failPending(`connection closed (code ${ev && ev.code})`);
    if (this._running) this._scheduleRetry({ port: this._port, closeCode: ev ? ev.code : undefined });
  }

  /** @private Waits (exponential backoff with jitter), then scans the ports again. */
  _scheduleRetry(info) {
    const base = Math.min(this._maxDelayMs, this._minDelayMs * 2 ** this._attempt);
    this._attempt = Math.min(this._attempt + 1, 30);
    // ±20 % jitter, so many pages do not all hammer a restarting adapter at the same instant.
    const delay = Math.round(Math.min(this._maxDelayMs, base * (0.8 + Math.random() * 0.4)));
    this._setState('disconnected', { ...info, retryInMs: delay });
    clearTimeout(this._retryTimer);
    this._retryTimer = setTimeout(() => {
      this._retryTimer = null;
      if (this._running && !this._ws) this._startScan();
    }, delay);
  }

  /** @private Records the connection state and tells the `connection` subscribers. */
  _setState(state, extra = {}) {
    this._state = state;
    if (extra.port !== undefined && extra.port !== null) this._port = extra.port;
    /** @type {ConnectionInfo} */
    const info = { state, port: extra.port === undefined ? this._port : extra.port, epoch: this.epoch };
    if (extra.retryInMs !== undefined) info.retryInMs = extra.retryInMs;
    if (extra.closeCode !== undefined) info.closeCode = extra.closeCode;
    if (extra.reason !== undefined) info.reason = extra.reason;
    if (extra.remedy !== undefined) info.remedy = extra.remedy;
    if (state === 'connected' && this._via) info.transport = this._via;
    this._emit('connection', info);
  }

  // ------------------------------------------------------------------------------------------
  // Incoming frames
  // ------------------------------------------------------------------------------------------

  /** @private */
  _onMessage(ws, data) {
    if (ws !== this._ws) return;
    const frame = parseFrame(data);
    if (!frame) return; // the adapter only sends JSON objects; ignore anything else
    switch (frame.type) {
      case 'event': this._onEvent(frame); break;
      case 'result': this._onResult(frame); break;
      case 'snapshot': this._onSnapshot(frame); break;
      case 'hello': this._onHello(frame); break;
      case 'paired': this._onPaired(frame); break;
      case 'pairing_failed': this._onPairingFailed(frame); break;
      case 'error': {
        const e = frame.error || {};
        this._emit('error', new CtiError(e.code || 'error', e.message || 'error from the adapter'));
        break;
      }
      default: break; // unknown frame types are ignored (forward compatibility)
    }
  }

  /** @private */
  _onHello(hello) {
    this._authPending = false;
    this.hello = hello;
    if (hello.driver) this.driver = hello.driver;
    if (Array.isArray(hello.not_ready_reasons)) {
      this.notReadyReasons = hello.not_ready_reasons.filter((r) => typeof r === 'string');
    }
    // Same run as before and we hold its state: resume the event stream after the snapshot.
    // Another run (or the first connection): the snapshot replaces everything.
    this._resumeOnSnapshot = hello.epoch === this.epoch && this.lastSeq !== null;
    this._awaitingSnapshot = true;
    this._emit('hello', hello);
    if (hello.driver) this._emit('driver', this.driver);
  }

  /** @private */
  _onSnapshot(frame) {
    if (!this._awaitingSnapshot) {
      // A resync snapshot (answer to a resume that could not replay): it replaces our state.
      this._applySnapshot(frame);
      return;
    }
    this._awaitingSnapshot = false;
    this._attempt = 0; // a good connection: the next drop starts the backoff afresh
    if (this._resumeOnSnapshot) {
      // Reconnected to the same run. Keep our state and ask for the events we missed; the
      // replay brings us from our lastSeq up to the newest event (or a resync snapshot).
      this._resumeOnSnapshot = false;
      this._setState('connected', { port: this._port });
      this._requestResume();
    } else {
      this._applySnapshot(frame);
      this._setState('connected', { port: this._port });
    }
    const waiters = this._connectWaiters.splice(0);
    for (const w of waiters) w.resolve(this.hello);
  }

  /** @private Replaces the client's state with a snapshot (frame or `snapshot` result data). */
  _applySnapshot(snap) {
    this.epoch = snap.epoch;
    this.lastSeq = Number.isInteger(snap.seq) ? snap.seq : 0;
    if (snap.driver) this.driver = snap.driver;
    this._calls = new Map();
    for (const call of Array.isArray(snap.calls) ? snap.calls : []) {
      if (call && typeof call.id === 'string' && call.state !== 'ended') this._calls.set(call.id, call);
    }
    const logs = new Map();
    for (const log of Array.isArray(snap.call_logs) ? snap.call_logs : []) {
      if (isLog(log) && !log.acknowledged) logs.set(log.log_id, log);
    }
    const logsChanged = !sameLogs(this._logs, logs);
    this._logs = logs;
    if (isAgent(snap.agent)) this.agent = snap.agent;
    this._emit('snapshot', snap);
    if (this.driver) this._emit('driver', this.driver);
    if (this.agent) this._emit('agent', this.agent);
    this._emit('calls', this.calls);
    if (logsChanged) this._emit('logs', this.pendingLogs);
    // A page that connects while the phone rings still pops: each active call's screen pop is
    // in the snapshot, handed on like the event (marked `replayed`).
    for (const pop of Array.isArray(snap.screen_pops) ? snap.screen_pops : []) {
      if (pop && this._calls.has(pop.call_id)) {
        this._emit('screen_pop', { ...pop, type: 'event', name: 'screen_pop', seq: this.lastSeq, epoch: this.epoch, replayed: true });
      }
    }
  }

  /**
   * @private
   * The sequence rule of protocol section 4: apply only `seq === lastSeq + 1`; ignore
   * `seq <= lastSeq` (a duplicate); on a jump ignore the event and resume the stream.
   */
  _onEvent(ev) {
    if (this._awaitingSnapshot || this.lastSeq === null) return; // no baseline yet
    if (ev.epoch !== undefined && ev.epoch !== this.epoch) return; // not the run we hold
    const seq = ev.seq;
    if (!Number.isInteger(seq) || seq <= this.lastSeq) return;
    if (seq !== this.lastSeq + 1) {
      this._requestResume();
      return;
    }
    this.lastSeq = seq;
    this._applyEvent(ev);
  }

  /** @private Updates the call table from one in-order event and tells the subscribers. */
  _applyEvent(ev) {
    let callsChanged = false;
    const call = ev.call;
    if (call && typeof call.id === 'string') {
      if (ev.name === 'call.ended' || call.state === 'ended') {
        callsChanged = this._calls.delete(call.id);
      } else if (ev.name === 'screen_pop') {
        // screen_pop follows call.ringing; refresh the call, never bring back a gone one.
        if (this._calls.has(call.id)) {
          this._calls.set(call.id, call);
          callsChanged = true;
        }
      } else {
        this._calls.set(call.id, call);
        callsChanged = true;
      }
    }
    if (ev.name === 'driver.status' && ev.driver) this.driver = ev.driver;
    const agentChanged = ev.name === 'agent.state' && isAgent(ev.agent);
    if (agentChanged) this.agent = ev.agent;

    let logsChanged = false;
    if (isLog(ev.log)) {
      if (ev.name === 'call_log' && !ev.log.acknowledged) {
        this._logs.set(ev.log.log_id, ev.log);
        logsChanged = true;
      } else if (ev.name === 'call_log.saved') {
        logsChanged = this._logs.delete(ev.log.log_id);
      }
    }

    this._emit(ev.name, ev);
    this._emit('*', ev);
    if (ev.name === 'driver.status' && ev.driver) this._emit('driver', this.driver);
    if (agentChanged) this._emit('agent', this.agent);
    if (callsChanged) this._emit('calls', this.calls);
    if (logsChanged) this._emit('logs', this.pendingLogs);
  }

  /** @private Drops a pending call log (it was saved); tells the `logs` subscribers. */
  _dropLog(logId) {
    if (this._logs.delete(logId)) this._emit('logs', this.pendingLogs);
  }

  /**
   * @private
   * Session resume: asks the adapter for every event after `lastSeq`. At most one at a time.
   * If the resume itself fails (not a dropped connection), falls back to a fresh snapshot.
   */
  _requestResume() {
    if (this._resumeInFlight || !this._ws || this.lastSeq === null || this.epoch === null) return;
    this._resumeInFlight = true;
    const token = ++this._resumeToken;
    const ws = this._ws;
    this._command('resume', { epoch: this.epoch, after_seq: this.lastSeq }, 'r')
      .catch((err) => {
        if (err.code !== 'not_connected' && this._ws === ws) {
          return this.snapshot().catch(() => { /* the next gap or reconnect tries again */ });
        }
        return undefined;
      })
      .finally(() => {
        if (this._resumeToken === token) this._resumeInFlight = false;
      });
  }

  /** @private */
  _onResult(frame) {
    const id = frame.id;
    if (typeof id !== 'string') return;
    const pending = this._pending.get(id);
    if (!pending) return; // timed out already, or not ours
    this._pending.delete(id);
    clearTimeout(pending.timer);
    if (frame.ok) {
      pending.resolve(frame.data ?? {});
    } else {
      const e = frame.error || {};
      pending.reject(new CtiError(e.code || 'error', e.message || `'${pending.type}' failed`));
    }
  }

  /** @private Rejects every command waiting for a result. */
  _failPending(why) {
    const pending = [...this._pending.values()];
    this._pending.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(new CtiError('not_connected', `'${p.type}' got no result: ${why}`));
    }
  }

  // ------------------------------------------------------------------------------------------
  // Commands
  // ------------------------------------------------------------------------------------------

  /**
   * @private
   * Sends `{v:1, type, id, ...fields}` and returns a Promise for the result's `data`.
   */
  _command(type, fields = {}, idPrefix = 'c') {
    const ws = this._ws;
    if (!ws || ws.readyState !== WS_OPEN) {
      return Promise.reject(new CtiError('not_connected', `cannot send '${type}': not connected to the cti-adapter`));
    }
    // Before authenticating anything else would make the adapter close the connection (4001).
    if (this._authPending && type !== 'authenticate' && type !== 'pair') {
      return Promise.reject(new CtiError('not_connected', `cannot send '${type}': not paired with the cti-adapter yet`));
    }
    const id = `${idPrefix}${++this._nextId}`;
    const frame = { v: PROTOCOL_VERSION, type, id };
    for (const [key, value] of Object.entries(fields || {})) {
      if (!(key in frame)) frame[key] = value;
    }
    let text;
    try {
      text = JSON.stringify(frame);
    } catch (err) {
      return Promise.reject(new CtiError('bad_request', `cannot encode '${type}': ${err.message}`));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this._pending.delete(id)) {
          reject(new CtiError('timeout', `no result for '${type}' within ${this._commandTimeoutMs} ms`));
        }
      }, this._commandTimeoutMs);
      this._pending.set(id, { resolve, reject, timer, type });
      try {
        ws.send(text);
      } catch (err) {
        this._pending.delete(id);
        clearTimeout(timer);
        reject(new CtiError('not_connected', `cannot send '${type}': ${err.message}`));
      }
    });
  }

  /**
   * Sends any command. `fields` are added to the frame (`v`, `type` and `id` are set by the
   * client). Resolves with the result's `data`; rejects with a {@link CtiError}.
   *
   * @param {string} type
   * @param {Object} [fields]
   * @returns {Promise<Object>}
   */
  send(type, fields = {}) {
    if (typeof type !== 'string' || type === '') {
      return Promise.reject(new CtiError('bad_request', 'type must be a non-empty string'));
    }
    return this._command(type, fields);
  }

  /**
   * Starts an outbound call. `to`: digits, `*`, `#`, optional leading `+`; spaces, `-`, `.`, `(`
   * and `)` are allowed and removed by the adapter.
   * @param {string} to
   * @returns {Promise<{call_id: string}>}
   */
  dial(to) {
    return this._command('dial', { to });
  }

  /** Answers a ringing call. @param {string} callId @returns {Promise<{}>} */
  answer(callId) {
    return this._command('answer', { call_id: callId });
  }

  /** Declines a ringing call (it ends with reason `rejected`). @param {string} callId @returns {Promise<{}>} */
  decline(callId) {
    return this._command('decline', { call_id: callId });
  }

  /** Hangs up any active call. @param {string} callId @returns {Promise<{}>} */
  hangup(callId) {
    return this._command('hangup', { call_id: callId });
  }

  /** Puts a connected call on hold. @param {string} callId @returns {Promise<{}>} */
  hold(callId) {
    return this._command('hold', { call_id: callId });
  }

  /** Takes a held call off hold. @param {string} callId @returns {Promise<{}>} */
  resume(callId) {
    return this._command('resume', { call_id: callId });
  }

  /**
   * Blind-transfers a connected or held call.
   * @param {string} callId
   * @param {string} to
   * @returns {Promise<{}>}
   */
  transfer(callId, to) {
    return this._command('transfer', { call_id: callId, to });
  }

  /**
   * Sends DTMF digits (1–32 of `0-9 * # A-D`) on a call.
   * @param {string} callId
   * @param {string} digits
   * @returns {Promise<{}>}
   */
  dtmf(callId, digits) {
    return this._command('dtmf', { call_id: callId, digits });
  }

  /**
   * Saves the wrap-up of a call log and acknowledges it: it leaves the pending list here at
   * once, and on every other page when their `call_log.saved` arrives. Both fields are
   * optional (`disposition` at most 128 bytes, `notes` at most 8000); an omitted one keeps
   * what the record has.
   *
   * @param {string} logId
   * @param {{disposition?: string|null, notes?: string|null}} [fields]
   * @returns {Promise<{log: CallLog}>}  the saved record
   */
  saveLog(logId, fields = {}) {
    const frame = { log_id: logId };
    const { disposition, notes } = fields || {};
    if (disposition !== undefined && disposition !== null) frame.disposition = disposition;
    if (notes !== undefined && notes !== null) frame.notes = notes;
    return this._command('save_log', frame).then((data) => {
      this._dropLog(logId);
      return data;
    });
  }

  /**
   * Sets the agent's state: `ready`, or `not_ready` with one of `notReadyReasons`. (`wrap_up`
   * is entered by the adapter after an answered call and ends by itself.) `agent.state`
   * follows on every page.
   *
   * @param {'ready'|'not_ready'} state
   * @param {string} [reason]  required for `not_ready`
   * @returns {Promise<{agent: AgentInfo}>}
   */
  setAgentState(state, reason) {
    const frame = { state };
    if (reason !== undefined && reason !== null) frame.reason = reason;
    return this._command('set_agent_state', frame);
  }

  /**
   * One page of the call-log history, newest first. Pass the `next` of one page as `before`
   * to get the page after it; `next` is null on the last page.
   *
   * @param {{limit?: number, before?: number|null}} [options]  `limit`: 1–100 (default 20)
   * @returns {Promise<{logs: CallLog[], next: number|null}>}
   */
  history(options = {}) {
    const frame = {};
    const { limit, before } = options || {};
    if (limit !== undefined && limit !== null) frame.limit = limit;
    if (before !== undefined && before !== null) frame.before = before;
    return this._command('history', frame).then((data) => ({
      ...data,
      logs: Array.isArray(data && data.logs) ? data.logs : [],
      next: data && data.next !== undefined ? data.next : null,
    }));
  }

  /**
   * Asks for a fresh snapshot `{epoch, seq, driver, calls, call_logs}`. Unless events newer
   * than it have already been applied, it also replaces the client's state (and
   * `snapshot`/`calls`, and `logs` when the pending list changed, fire).
   * @returns {Promise<{epoch: string, seq: number, driver: DriverInfo, calls: Call[], call_logs: CallLog[]}>}
   */
  snapshot() {
    return this._command('snapshot').then((data) => {
      if (data && typeof data.epoch === 'string') {
        const stale = data.epoch === this.epoch && this.lastSeq !== null && data.seq < this.lastSeq;
        if (!stale) this._applySnapshot({ ...data, type: 'snapshot', resync: false });
      }
      return data;
    });
  }

  /** Round trip to the adapter. @returns {Promise<{time: string}>} */
  ping() {
    return this._command('ping');
  }

  // ------------------------------------------------------------------------------------------
  // Click to dial
  // ------------------------------------------------------------------------------------------

  /**
   * Makes `tel:` links under `root` dial through the adapter instead of navigating. Uses one
   * delegated click listener, so links added later work too.
   *
   * @param {Document|Element} [root]  default: the document
   * @param {Object} [options]
   * @param {(number: string, result: Promise<{call_id: string}>) => void} [options.onDial]
   *        called for every dial started by a click
   * @param {(error: CtiError, number: string) => void} [options.onError]
   *        called when such a dial fails; without it the client emits `error`
   * @returns {() => void} a function that turns click-to-dial off again
   */
  enableClickToDial(root = globalThis.document, options = {}) {
    if (!root || typeof root.addEventListener !== 'function') {
      throw new TypeError('enableClickToDial needs a Document or an Element');
    }
    const { onDial, onError } = options;
    const listener = (event) => {
      if (event.defaultPrevented || (event.button !== undefined && event.button !== 0)) return;
      let node = event.target;
      if (node && node.nodeType !== 1) node = node.parentElement; // a text node
      const link = node && typeof node.closest === 'function' ? node.closest('a[href^="tel:" i]') : null;
      if (!link || (typeof root.contains === 'function' && !root.contains(link))) return;
      const number = parseTelHref(link.getAttribute('href'));
      if (!number) return;
      event.preventDefault();
      const result = this.dial(number);
      if (typeof onDial === 'function') {
        try { onDial(number, result); } catch (err) { console.error('cti.js: onDial threw:', err); }
      }
      result.catch((err) => {
        if (typeof onError === 'function') onError(err, number);
        else this._emit('error', err);
      });
    };
    root.addEventListener('click', listener);
    return () => root.removeEventListener('click', listener);
  }
}

// ---------------------------------------------------------------------------------------------
// The extension transport (docs/BROWSER-CLIENT.md, "Transports")
// ---------------------------------------------------------------------------------------------
// Kept in this file so that cti.js stays one file to copy. The phone adapter extension's
// content script relays frames between the page (window.postMessage on the page's own window)
// and the adapter (native messaging). Both sides take only messages of this window and origin.

/** Whether the extension's content script said it is ready (its 'ready' on load, or a pong). */
let extensionReady = false;
/** Callers of extensionPresent() waiting for the answer to a ping. */
const extensionWaiters = new Set();
let extensionWatched = false;

/** Starts listening for the content script's `ready` (once per page). */
function watchExtension() {
  if (extensionWatched || typeof globalThis.addEventListener !== 'function' || !globalThis.location) return;
  extensionWatched = true;
  globalThis.addEventListener('message', (event) => {
    if (!fromContentScript(event) || event.data.cti_extension !== 'ready') return;
    extensionReady = true;
    for (const resolve of extensionWaiters) resolve(true);
    extensionWaiters.clear();
  });
}

/** Whether `event` is a message of the content script on this page (spec: same window, origin). */
function fromContentScript(event) {
  return event.source === globalThis.window && event.origin === globalThis.location.origin &&
    !!event.data && typeof event.data === 'object' && typeof event.data.cti_extension === 'string';
}

/** Posts a message to the content script. */
function toContentScript(message) {
  globalThis.window.postMessage(message, globalThis.location.origin);
}

/** Resolves true once the extension answers a ping, false after `timeoutMs` without an answer. */
function extensionPresent(timeoutMs) {
  watchExtension();
  if (extensionReady) return Promise.resolve(true);
  if (!extensionWatched) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (present) => {
      clearTimeout(timer);
      extensionWaiters.delete(done);
      resolve(present);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    extensionWaiters.add(done);
    toContentScript({ cti_page: 'ping' });
  });
}

let nextChannel = 0;

/**
 * One channel through the extension, with the part of the WebSocket interface the client uses
 * (readyState, send, close, onopen/onmessage/onclose/onerror), so pairing, resume and reconnect
 * work unchanged. The channel's close code is the adapter's WebSocket close code (1006 when no
 * adapter runs, 4403 when it refused the origin).
 */
class ExtensionSocket {
  constructor() {
    /** The content script's channel id: unique per page load. */
    this.channel = `c${Date.now().toString(36)}-${(nextChannel++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    this.readyState = 0; // CONNECTING
    this.onopen = null;
    this.onmessage = null;
    this.onclose = null;
    this.onerror = null;
    this._listener = (event) => this._onMessage(event);
    globalThis.addEventListener('message', this._listener);
    toContentScript({ cti_page: 'open', channel: this.channel });
  }

  send(data) {
    if (this.readyState !== 1) throw new Error('the extension channel is not open');
    toContentScript({ cti_page: 'frame', channel: this.channel, data: String(data) });
  }

  close(code = 1000, reason = '') {
    if (this.readyState >= 2) return;
    toContentScript({ cti_page: 'close', channel: this.channel });
    // As a WebSocket does, the close event comes later, not from inside close().
    setTimeout(() => this._ended(code, reason), 0);
    this.readyState = 2;
  }

  _onMessage(event) {
    if (!fromContentScript(event) || event.data.channel !== this.channel) return;
    const message = event.data;
    if (message.cti_extension === 'open' && this.readyState === 0) {
      this.readyState = 1;
      if (this.onopen) this.onopen({ type: 'open' });
    } else if (message.cti_extension === 'frame' && this.readyState === 1 && typeof message.data === 'string') {
      if (this.onmessage) this.onmessage({ type: 'message', data: message.data });
    } else if (message.cti_extension === 'close') {
      this._ended(typeof message.code === 'number' ? message.code : 1006, String(message.reason || ''));
    } else if (message.cti_extension === 'error') {
      // One message was refused (too big, malformed); the channel goes on. Say so for debugging.
      console.warn(`cti.js: the extension refused a message: ${message.code}: ${message.message}`);
    }
  }

  _ended(code, reason) {
    if (this.readyState === 3) return;
    this.readyState = 3;
    globalThis.removeEventListener('message', this._listener);
    if (this.onclose) this.onclose({ type: 'close', code, reason, wasClean: code !== 1006 });
  }
}

/** Parses one frame; returns the object, or null for anything that is not a JSON object. */
function parseFrame(data) {
  if (typeof data !== 'string') return null;
  try {
    const value = JSON.parse(data);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/** Whether `value` looks like the agent's state. */
function isAgent(value) {
  return !!value && typeof value === 'object' && typeof value.state === 'string';
}

/** Whether `value` looks like a call-log record. */
function isLog(value) {
  return !!value && typeof value === 'object' && typeof value.log_id === 'string' && value.log_id !== '';
}

/** Whether two pending-log maps hold the same records in the same order. */
function sameLogs(a, b) {
  if (a.size !== b.size) return false;
  const left = [...a.entries()];
  let i = 0;
  for (const [id, log] of b) {
    const [otherId, other] = left[i++];
    if (id !== otherId || JSON.stringify(log) !== JSON.stringify(other)) return false;
  }
  return true;
}

/** Removes our handlers from a socket we are done with. */
/**
 * The default token store: `localStorage` when the page may use it, else memory (a private
 * window, a worker, Node); a memory token lasts as long as the page.
 * @returns {TokenStore}
 */
function defaultTokenStore() {
  const memory = new Map();
  let storage = null;
  try {
    storage = globalThis.localStorage || null;
  } catch {
    storage = null; // access itself may throw (storage disabled)
  }
  const attempt = (action, fallback) => {
    try {
      return storage ? action(storage) : fallback();
    } catch {
      return fallback();
    }
  };
  return {
    get: (key) => attempt((s) => s.getItem(key), () => memory.get(key) ?? null),
    set: (key, token) => attempt((s) => s.setItem(key, token), () => memory.set(key, token)),
    remove: (key) => attempt((s) => s.removeItem(key), () => memory.delete(key)),
  };
}

function detach(ws) {
  ws.onopen = null;
  ws.onmessage = null;
  ws.onerror = null;
  ws.onclose = null;
}

export default CtiClient;
