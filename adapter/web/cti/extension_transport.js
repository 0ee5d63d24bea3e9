/**
 * cti/extension_transport.js — the extension transport (docs/BROWSER-CLIENT.md, "Transports").
 *
 * The phone adapter extension's content script relays frames between the page
 * (window.postMessage on the page's own window) and the adapter (native messaging). Both sides
 * take only messages of this window and origin. The connection (cti/connection.js) treats a
 * channel as one more candidate after the WebSocket ports.
 */

/** Whether the extension's content script said it is ready (its 'ready' on load, or a pong). */
let extensionReady = false;
/** Callers of extensionPresent() waiting for the answer to a ping. */
const extensionWaiters = new Set();
let extensionWatched = false;

/** Starts listening for the content script's `ready` (once per page). */
export function watchExtension() {
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
export function extensionPresent(timeoutMs) {
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
export class ExtensionSocket {
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
