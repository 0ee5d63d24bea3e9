// The bridge between a page the adapter allows and the extension: window.postMessage on the
// page's own window on one side, one runtime port per channel to the service worker on the
// other (docs/BROWSER-EXTENSION.md has the messages). The service worker checks the page's
// origin again with the browser's word for it; this script only carries messages.
//
// A classic script, not a module: content scripts cannot be modules. The block keeps its names
// out of the isolated world's global scope, which a second injection (an extension update) shares.
{
  const VERSION = 1;
  const PORT_NAME = 'cti-channel';
  const MAX_CHANNEL_ID = 64;
  /** channel id -> its runtime port. */
  const channels = new Map();

  /** Posts to the page only: targetOrigin is the page's own origin, so no other frame can read it. */
  const toPage = (message) => window.postMessage(message, location.origin);

  const refuse = (channel, code, message) => toPage({ cti_extension: 'error', channel: channel ?? null, code, message });

  /** The host's messages (relayed by the service worker) as the page's messages. */
  function fromHost(channel, message) {
    if (message.open) {
      toPage({ cti_extension: 'open', channel });
    } else if (typeof message.frame === 'string') {
      toPage({ cti_extension: 'frame', channel, data: message.frame });
    } else if (message.error) {
      refuse(channel, String(message.error.code ?? 'error'), String(message.error.message ?? ''));
    } else if (message.close) {
      channels.delete(channel);
      toPage({ cti_extension: 'close', channel, code: Number(message.close.code ?? 1006), reason: String(message.close.reason ?? '') });
    }
  }

  function open(channel) {
    if (typeof channel !== 'string' || channel.length === 0 || channel.length > MAX_CHANNEL_ID) {
      refuse(channel, 'bad_message', `open needs a channel id of 1 to ${MAX_CHANNEL_ID} characters`);
      return;
    }
    if (channels.has(channel)) {
      refuse(channel, 'channel_in_use', `the channel '${channel}' is already open`);
      return;
    }
    let port;
    try {
      port = chrome.runtime.connect({ name: PORT_NAME });
    } catch (error) {
      // The extension was reloaded or removed since this page loaded.
      toPage({ cti_extension: 'close', channel, code: 1006, reason: `the cti-adapter extension is not reachable: ${error.message}` });
      return;
    }
    channels.set(channel, port);
    port.onMessage.addListener((message) => {
      if (channels.get(channel) === port && message && typeof message === 'object') fromHost(channel, message);
    });
    port.onDisconnect.addListener(() => {
      // A close from the service worker has already told the page why; otherwise say it here.
      if (channels.get(channel) !== port) return;
      channels.delete(channel);
      const why = chrome.runtime.lastError?.message || 'the extension ended it';
      toPage({ cti_extension: 'close', channel, code: 1006, reason: `the channel ended: ${why}` });
    });
  }

  function frame(channel, data) {
    const port = channels.get(channel);
    if (!port) {
      refuse(channel, 'no_such_channel', `no open channel '${String(channel)}'`);
      return;
    }
    if (typeof data !== 'string') {
      refuse(channel, 'bad_message', `a frame's data must be text (a protocol v1 frame), not ${data === null ? 'null' : typeof data}`);
      return;
    }
    try {
      port.postMessage({ frame: data });
    } catch (error) {
      refuse(channel, 'too_big', `the browser refused the frame: ${error.message}`);
    }
  }

  function close(channel) {
    const port = channels.get(channel);
    if (!port) {
      refuse(channel, 'no_such_channel', `no open channel '${String(channel)}'`);
      return;
    }
    channels.delete(channel);
    port.disconnect();
    toPage({ cti_extension: 'close', channel, code: 1000, reason: 'closed by the page' });
  }

  window.addEventListener('message', (event) => {
    // Only the page itself: not another frame, not another origin.
    if (event.source !== window || event.origin !== location.origin) return;
    const message = event.data;
    if (!message || typeof message !== 'object' || !('cti_page' in message)) return;
    switch (message.cti_page) {
      case 'ping': toPage({ cti_extension: 'ready', version: VERSION }); break;
      case 'open': open(message.channel); break;
      case 'frame': frame(message.channel, message.data); break;
      case 'close': close(message.channel); break;
      default:
        refuse(message.channel, 'bad_message', `unknown cti_page message '${String(message.cti_page)}'; expected ping, open, frame or close`);
    }
  });

  toPage({ cti_extension: 'ready', version: VERSION });
}
