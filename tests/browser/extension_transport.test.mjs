// cti.js's extension transport (docs/BROWSER-CLIENT.md, "Transports") on a public https page the
// browser blocks from the loopback address, against the real adapter.
//
// The phone adapter extension itself is tested on its own; here a stand-in content script (an
// init script of the page's context) speaks the page side of the extension's messages
// (window.postMessage, {cti_page}/{cti_extension}) and relays each channel to a WebSocket that a
// page of the adapter's own origin opens (that page is on loopback, so nothing blocks it), as the
// real extension relays it over native messaging. So what is tested is cti.js: picking the
// transport, and pairing-free connect, calls, reconnect and resume over the channel.
//
// Run:  cd tests/browser && CTI_ADAPTER_BIN=/path/to/cti-adapter node --test extension_transport.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ADAPTER_BIN, NEEDS_ADAPTER, runCli, startAdapter } from './adapter_process.mjs';
import { startPublicOrigins } from './public_origin.mjs';
import { ctiClientFiles } from './cti_client_files.mjs';

/** The CRM page: cti.js with the transport of `?transport=`, its connection events recorded. */
const CRM_PAGE = (port) => `<!doctype html><meta charset="utf-8"><title>CRM</title>
<script type="module">
  import { CtiClient } from './cti.js';
  const transport = new URLSearchParams(location.search).get('transport') || 'auto';
  window.connections = [];
  window.cti = new CtiClient({ ports: [${port}], transport, reconnectDelayMs: 50, maxReconnectDelayMs: 200 });
  window.cti.on('connection', (info) => window.connections.push(info));
  window.cti.connect();
</script>`;

/** The stand-in content script: answers the ping, hands everything else to the relay. */
function contentScriptStandIn() {
  window.addEventListener('message', (event) => {
    if (event.source !== window || event.origin !== location.origin) return;
    const message = event.data;
    if (!message || typeof message.cti_page !== 'string') return;
    if (message.cti_page === 'ping') window.postMessage({ cti_extension: 'ready', version: 1 }, location.origin);
    else window.ctiRelay(message);
  });
}

/** In the relay page (the adapter's own origin): one WebSocket per channel. */
function relayChannel({ type, channel, data, url }) {
  window.channels = window.channels || new Map();
  if (type === 'open') {
    const ws = new WebSocket(url);
    window.channels.set(channel, ws);
    ws.onopen = () => window.ctiBack({ cti_extension: 'open', channel });
    ws.onmessage = (msg) => window.ctiBack({ cti_extension: 'frame', channel, data: msg.data });
    ws.onclose = (ev) => {
      window.channels.delete(channel);
      window.ctiBack({ cti_extension: 'close', channel, code: ev.code, reason: ev.reason });
    };
  } else if (type === 'frame') {
    window.channels.get(channel)?.send(data);
  } else if (type === 'close') {
    window.channels.get(channel)?.close();
  } else if (type === 'drop') { // the test: the native host went away
    for (const ws of window.channels.values()) ws.close(4000, 'dropped by the test');
  }
}

describe('cti.js through the extension transport on a blocked public page', NEEDS_ADAPTER, () => {
  let tmp;
  let adapter;
  let origins;
  let relay;
  let context;
  /** Channels opened through the stand-in so far. */
  let opened = 0;
  /** The CRM page the relay answers to. */
  let relayTarget = null;

  before(async () => {
    const ctiJs = await ctiClientFiles();
    origins = await startPublicOrigins({
      handlers: {
        crm: (req, res) => {
          const path = new URL(req.url, 'https://x').pathname;
          if (ctiJs.has(path)) {
            res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
            res.end(ctiJs.get(path));
          } else {
            res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
            res.end(CRM_PAGE(adapter.port));
          }
        },
      },
    });
    tmp = await mkdtemp(join(tmpdir(), 'cti-browser-extension-'));
    const configPath = join(tmp, 'config.json');
    await writeFile(configPath, JSON.stringify({
      allowed_origins: origins.origins,
      pairing: { required: false },
      call_log_file: join(tmp, 'call-log.sqlite3'),
    }, null, 2));
    adapter = await startAdapter(ADAPTER_BIN, { configPath, port: 0 });

    const relayContext = await origins.browser.newContext();
    relay = await relayContext.newPage();
    await relay.goto(`${adapter.url}health`);
    context = await origins.newContext(); // no local network access granted: the WebSocket is blocked
    await context.addInitScript(contentScriptStandIn);
    await context.exposeBinding('ctiRelay', async ({ page }, message) => {
      if (message.cti_page === 'open') opened++;
      relayTarget = page;
      await relay.evaluate(relayChannel, {
        type: message.cti_page, channel: message.channel, data: message.data,
        url: `ws://127.0.0.1:${adapter.port}/ws`,
      });
    });
    await relay.exposeFunction('ctiBack', (message) => relayTarget?.evaluate((m) => window.postMessage(m, location.origin), message));
  });
  after(async () => {
    await origins?.close();
    await adapter?.stop().catch(() => {});
    if (tmp) await rm(tmp, { recursive: true, force: true }).catch(() => {});
  });

  const lastConnection = (page) => page.evaluate(() => window.connections.at(-1));

  test("'auto': the WebSocket is blocked, the extension answered: connected through it, and a call arrives", async () => {
    const page = await context.newPage();
    page.setDefaultTimeout(10000);
    await page.goto(`${origins.origin('crm')}/?transport=auto`);
    await page.waitForFunction(() => window.cti && window.cti.connected);
    const info = await lastConnection(page);
    assert.equal(info.state, 'connected');
    assert.equal(info.transport, 'extension');
    assert.equal(await page.evaluate(() => window.cti.transport), 'extension');
    const result = await runCli(ADAPTER_BIN, ['simulate', 'incoming', '+14155550123', '--port', String(adapter.port)]);
    assert.equal(result.code, 0, result.stderr);
    await page.waitForFunction(() => window.cti.calls.some((c) => c.state === 'ringing'));

    // The channel drops (the native host went away): the client reconnects through the
    // extension and resumes the same run: the ringing call is still there, not re-fetched.
    const epoch = await page.evaluate(() => window.cti.epoch);
    const before = opened;
    await relay.evaluate(relayChannel, { type: 'drop' });
    await page.waitForFunction(() => window.connections.some((c) => c.state === 'disconnected' && c.closeCode === 4000));
    await page.waitForFunction(() => window.cti.connected);
    assert.ok(opened > before, 'a new channel was opened');
    assert.equal(await page.evaluate(() => window.cti.epoch), epoch);
    assert.equal(await page.evaluate(() => window.cti.calls.filter((c) => c.state === 'ringing').length), 1);
    await page.close();
  });

  test("'websocket': the extension is not used; the page says the browser blocks it", async () => {
    const before = opened;
    const page = await context.newPage();
    page.setDefaultTimeout(10000);
    await page.goto(`${origins.origin('crm')}/?transport=websocket`);
    await page.waitForFunction(() => window.connections.some((c) => c.reason === 'blocked'));
    assert.equal(opened, before, 'no channel through the extension');
    await page.close();
  });

  test("'extension': straight to the extension", async () => {
    const page = await context.newPage();
    page.setDefaultTimeout(10000);
    const sockets = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(`${origins.origin('crm')}/?transport=extension`);
    await page.waitForFunction(() => window.cti && window.cti.connected);
    assert.equal(await page.evaluate(() => window.cti.transport), 'extension');
    assert.deepEqual(sockets, [], 'no WebSocket from the page itself');
    await page.close();
  });
});
