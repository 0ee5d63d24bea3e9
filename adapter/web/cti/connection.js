/**
 * cti/connection.js — finding the adapter and keeping the connection: the port scan (a
 * WebSocket per port, then the extension), the local network access permission and what a
 * page can tell the user when no adapter answers, reconnecting with backoff, and `probe()`.
 *
 * The methods here are CtiClient's own (cti/client.js copies them onto its prototype): they
 * share the client's state with pairing, the session and the commands.
 */

import { ExtensionSocket, extensionPresent, watchExtension } from './extension_transport.js';
import { CtiError, parseFrame } from './protocol.js';

/** Ports the adapter listens on by default: `port` then `port_fallbacks`. */
export const DEFAULT_PORTS = Object.freeze([11000, 11001, 11002, 11003]);

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

/** CtiClient's connection methods; never instantiated (see the top of this file). */
export class ConnectionMethods {
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
}

/** Removes our handlers from a socket we are done with. */
function detach(ws) {
  ws.onopen = null;
  ws.onmessage = null;
  ws.onerror = null;
  ws.onclose = null;
}
