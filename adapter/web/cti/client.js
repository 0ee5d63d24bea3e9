/**
 * cti/client.js — CtiClient: its options and state, what it tells (`on()`), and the jobs it
 * does, each in its own module: cti/connection.js, cti/pairing.js, cti/session.js,
 * cti/commands.js, cti/click_to_dial.js.
 *
 * The jobs share one object's state (a reconnect ends the session, a closed connection fails
 * the commands in flight, pairing holds the commands back), so they are methods of one class
 * rather than objects that would have to reach into each other. Their modules hold them as
 * method classes; this module copies their methods onto CtiClient.prototype, where a page and
 * cti.d.ts find them as before.
 */

import { ClickToDialMethods } from './click_to_dial.js';
import { CommandMethods } from './commands.js';
import { ConnectionMethods, DEFAULT_PORTS } from './connection.js';
import { PairingMethods, defaultTokenStore } from './pairing.js';
import { SessionMethods } from './session.js';

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
}

/** Copies the methods of each method class onto `target.prototype`, as they are (not enumerable). */
function addMethods(target, ...sources) {
  for (const source of sources) {
    for (const name of Object.getOwnPropertyNames(source.prototype)) {
      if (name !== 'constructor') {
        Object.defineProperty(target.prototype, name, Object.getOwnPropertyDescriptor(source.prototype, name));
      }
    }
  }
}

addMethods(CtiClient, ConnectionMethods, PairingMethods, SessionMethods, CommandMethods, ClickToDialMethods);
