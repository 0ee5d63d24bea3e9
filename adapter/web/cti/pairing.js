/**
 * cti/pairing.js — pairing a page with the adapter (protocol section 1.3): the stored token
 * per adapter, the pairing request whose code the user compares on the adapter's /pair page,
 * and forgetting a token the adapter refused or revoked (cti/connection.js, close 4001/4003).
 *
 * The methods here are CtiClient's own (cti/client.js copies them onto its prototype).
 */

import { CtiError } from './protocol.js';

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
 * The default token store: `localStorage` when the page may use it, else memory (a private
 * window, a worker, Node); a memory token lasts as long as the page.
 * @returns {TokenStore}
 */
export function defaultTokenStore() {
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

/** CtiClient's pairing methods; never instantiated (see the top of this file). */
export class PairingMethods {
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
}
