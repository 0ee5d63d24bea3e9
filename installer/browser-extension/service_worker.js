// The extension's service worker: keeps the content script registered on exactly the allowed
// origins, and joins each channel of a page (a runtime port from the content script) to its own
// native host process, `cti-adapter native-host`, which carries it to the adapter.
//
// Listeners are added synchronously at the top level: the browser starts this worker for an
// event and only delivers it to listeners that exist when the script has run.

import { ORIGINS_KEY, allowedOrigins, matchPattern } from './origins.js';

const HOST_NAME = 'org.cti_adapter.native_host';
const PORT_NAME = 'cti-channel';
const SCRIPT_ID = 'cti-bridge';
/** The close code the page gets when the origin is not allowed, the same as the adapter's refusal. */
const ORIGIN_REFUSED = 4403;
/** The close code the page gets when the host or the adapter went away without a close. */
const GONE = 1006;
/** Firefox's match patterns cannot name a port (origins.js). */
const PORTS_IN_PATTERNS = !chrome.runtime.getURL('').startsWith('moz-extension:');

// ---- The content script's registration ----------------------------------------------------

let syncing = Promise.resolve();

/** Makes the registered content script match the allowed origins; one sync at a time. */
function syncContentScript() {
  syncing = syncing.then(registerFor, registerFor);
  return syncing;
}

async function registerFor() {
  const origins = await allowedOrigins();
  const matches = origins.map((origin) => matchPattern(origin, { portsInPatterns: PORTS_IN_PATTERNS }));
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  if (matches.length === 0) {
    // No origin: no content script anywhere (an empty matches list is not allowed).
    if (existing.length) await chrome.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
    return;
  }
  const script = {
    id: SCRIPT_ID,
    js: ['content_script.js'],
    matches,
    // Salesforce and other CRMs show the softphone in a cross-origin iframe: the bridge must run there too.
    allFrames: true,
    // Before the page's own scripts, so the page's first ping finds the bridge.
    runAt: 'document_start',
    persistAcrossSessions: true,
  };
  if (existing.length) {
    await chrome.scripting.updateContentScripts([script]);
  } else {
    await chrome.scripting.registerContentScripts([script]);
  }
}

chrome.runtime.onInstalled.addListener(() => { syncContentScript(); });
chrome.runtime.onStartup.addListener(() => { syncContentScript(); });
chrome.storage.onChanged.addListener((changes, area) => {
  if (ORIGINS_KEY in changes && (area === 'managed' || area === 'local')) syncContentScript();
});
// A worker started for any other event checks too: a policy changed while the browser was closed.
syncContentScript();
// From the worker's console (and the tests): `await syncContentScript()` resolves once the
// registration matches the lists as they are now.
globalThis.syncContentScript = syncContentScript;

// ---- Channels ------------------------------------------------------------------------------

/**
 * The origin of the page that opened the port, as the browser saw it (never what the page says).
 * Chromium gives `sender.origin`; where it is missing (Firefox) the frame's URL gives it.
 */
function senderOrigin(sender) {
  if (typeof sender.origin === 'string' && sender.origin !== 'null') return sender.origin;
  try {
    return new URL(sender.url).origin;
  } catch {
    return 'null';
  }
}

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== PORT_NAME || !port.sender || port.sender.id !== chrome.runtime.id) {
    port.disconnect();
    return;
  }
  const origin = senderOrigin(port.sender);
  // Frames the page sends while the origin is being checked wait here, in order.
  const pending = [];
  let host = null;
  let ended = false;

  /** Ends the channel once: tells the content script why, then lets go of both ends. */
  const end = (code, reason) => {
    if (ended) return;
    ended = true;
    try { port.postMessage({ close: { code, reason } }); } catch { /* the page is gone */ }
    port.disconnect();
    if (host) host.disconnect();
  };

  port.onMessage.addListener((message) => {
    if (ended) return;
    if (host) relayToHost(host, port, message); else pending.push(message);
  });
  // The page closed the channel or went away: closing stdin makes the host close its WebSocket and exit.
  port.onDisconnect.addListener(() => {
    ended = true;
    if (host) host.disconnect();
  });

  allowedOrigins().then((origins) => {
    if (ended) return;
    if (!origins.includes(origin)) {
      end(ORIGIN_REFUSED, `the cti-adapter extension does not allow the origin ${origin} (set allowed_origins in its managed policy or on its options page)`);
      return;
    }
    host = chrome.runtime.connectNative(HOST_NAME);
    host.onMessage.addListener((message) => {
      if (ended) return;
      if (message && typeof message === 'object' && message.close) {
        ended = true;
        port.postMessage(message);
        port.disconnect();
        return;
      }
      port.postMessage(message);
    });
    host.onDisconnect.addListener(() => {
      const why = chrome.runtime.lastError?.message || 'it exited';
      end(GONE, `the cti-adapter native host ended without closing the channel: ${why}`);
    });
    // The browser's word for the origin: the host presents it to the adapter's allow-list.
    host.postMessage({ open: { origin } });
    for (const message of pending.splice(0)) relayToHost(host, port, message);
  }, (error) => end(GONE, `cannot read the allowed origins: ${error.message}`));
});

/** One message from the content script to the host: only `{frame: text}` is passed on. */
function relayToHost(host, port, message) {
  if (!message || typeof message.frame !== 'string') {
    port.postMessage({ error: { code: 'bad_message', message: 'the extension passes on only {frame: "<text>"} from the page' } });
    return;
  }
  try {
    host.postMessage({ frame: message.frame });
  } catch (error) {
    port.postMessage({ error: { code: 'too_big', message: `the browser refused the frame for the native host: ${error.message}` } });
  }
}
