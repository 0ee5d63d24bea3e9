// The extension path (docs/BROWSER-EXTENSION.md) in headless Chromium: a page on a public
// origin, whose WebSocket to 127.0.0.1 the browser blocks (local network access), reaches the
// real adapter through the extension in installer/browser-extension/, its service worker and
// `cti-adapter native-host` (a native messaging host, found through the host manifest in the
// profile's NativeMessagingHosts folder) and the adapter's Unix socket.
//
// The page's side speaks the bridge's raw window.postMessage messages, so each step of the
// chain is visible. Nothing sleeps: every wait is on a message, an event or a process's output.
//
// Run:  cd tests/browser && npm ci && CTI_ADAPTER_BIN=/path/to/cti-adapter node --test extension.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { ADAPTER_BIN, AdapterSandbox, NEEDS_ADAPTER } from './adapter_process.mjs';
import { ctiClientFiles } from './cti_client_files.mjs';
import { softphoneFiles } from './softphone_files.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const EXTENSION = join(HERE, '..', '..', 'installer', 'browser-extension');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const HOST_NAME = 'org.cti_adapter.native_host';
const ONE_MIB = 1024 * 1024;
const SALESFORCE_DIR = join(HERE, '..', '..', 'installer', 'salesforce');

/**
 * A page that uses cti.js as a CRM would, with its preseeded token, asking for the extension:
 * cti.js's 'auto' takes a page on 127.0.0.1 for a loopback page (never checked) and does not try
 * the extension there, and the tests' public page is on 127.0.0.1 (marked public by a flag).
 */
const ctiPage = (adapterPort, token) => `<!doctype html><meta charset="utf-8"><title>cti.js</title>
<script type="module">
import { CtiClient } from './cti.js';
window.pops = [];
const client = new CtiClient({ ports: [${adapterPort}], transport: 'extension', tokenStore: { get: () => '${token}', set() {}, remove() {} } });
client.on('screen_pop', (pop) => window.pops.push(pop));
window.client = client;
client.connect();
</script>`;

/**
 * The test page: records every message of the bridge in `window.bridge` and offers helpers the
 * test calls with page.evaluate. It is the page's side of the bridge's messages, written out.
 */
const PAGE = `<!doctype html><meta charset="utf-8"><title>extension bridge</title>
<p>bridge test page</p>
<script>
window.bridge = [];
window.addEventListener('message', (event) => {
  if (event.source !== window || event.origin !== location.origin) return;
  if (event.data && typeof event.data === 'object' && 'cti_extension' in event.data) window.bridge.push(event.data);
});
window.toBridge = (message) => window.postMessage(message, location.origin);
/** Whether the page's own WebSocket to the adapter opens: 'open', or 'error' when it is blocked. */
window.tryWebSocket = (url) => new Promise((resolve) => {
  const ws = new WebSocket(url);
  ws.onopen = () => { ws.close(); resolve('open'); };
  ws.onerror = () => resolve('error');
});
/**
 * Pings the bridge and resolves with the answers that came before a marker the page posts to
 * itself after the ping. A content script answers the ping with its own postMessage while the
 * ping is being delivered, so its answer is queued before the second marker: no answer by then
 * means no content script.
 */
window.pingBridge = () => new Promise((resolve) => {
  const before = window.bridge.length;
  const onMarker = (event) => {
    if (event.source !== window || !event.data || event.data.marker === undefined) return;
    if (event.data.marker === 1) { window.postMessage({ marker: 2 }, location.origin); return; }
    window.removeEventListener('message', onMarker);
    resolve(window.bridge.slice(before).filter((m) => m.cti_extension === 'ready'));
  };
  window.addEventListener('message', onMarker);
  window.toBridge({ cti_page: 'ping' });
  window.postMessage({ marker: 1 }, location.origin);
});
</script>`;

/** A parent page on another origin that shows the allowed page in an iframe, as Salesforce shows a softphone. */
const framingPage = (src) => `<!doctype html><meta charset="utf-8"><title>CRM</title>
<iframe id="softphone" src="${src}" width="400" height="300"></iframe>`;

async function makeCertificate(dir) {
  const key = join(dir, 'page-key.pem');
  const cert = join(dir, 'page-cert.pem');
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
  ]);
  return { key: await readFile(key), cert: await readFile(cert) };
}

/** An https server on 127.0.0.1 answering every path with `body(url)`. */
async function startPageServer(tls, body) {
  const server = createServer(tls, (req, res) => {
    const type = req.url.endsWith('.js') ? 'text/javascript' : 'text/html';
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
    res.end(body(req.url));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

/**
 * Chromium with the extension loaded unpacked and the native host registered in the profile's
 * own NativeMessagingHosts folder; `servers` are the page servers to count as public sites.
 * Resolves with the context and the extension's service worker.
 */
async function launchExtensionBrowser(sandbox, servers) {
  // The host manifest, in the profile's own NativeMessagingHosts folder, names a wrapper
  // (a manifest gives a path and no arguments) and allows exactly the extension's origin.
  const profile = join(sandbox.dir, 'profile');
  const extensionId = (await readFile(join(EXTENSION, 'EXTENSION_ID'), 'utf8')).trim();
  const wrapper = join(sandbox.dir, 'native-host.sh');
  await writeFile(wrapper, `#!/bin/sh\nXDG_RUNTIME_DIR='${sandbox.runtimeDir}' exec '${ADAPTER_BIN}' native-host "$@"\n`);
  await chmod(wrapper, 0o755);
  await mkdir(join(profile, 'NativeMessagingHosts'), { recursive: true });
  await writeFile(join(profile, 'NativeMessagingHosts', `${HOST_NAME}.json`), JSON.stringify({
    name: HOST_NAME,
    description: 'cti-adapter native messaging host (test)',
    path: wrapper,
    type: 'stdio',
    allowed_origins: [`chrome-extension://${extensionId}/`],
  }));

  const { chromium } = await import('playwright-core');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--disable-extensions-except=${EXTENSION}`, `--load-extension=${EXTENSION}`,
      // The page servers count as public sites: their requests to 127.0.0.1 meet the local
      // network access checks, as a CRM on the internet does.
      `--ip-address-space-overrides=${servers.map((server) => `127.0.0.1:${server.address().port}=public`).join(',')}`,
      '--ignore-certificate-errors',
    ],
  });
  const worker = context.serviceWorkers()[0] ?? await context.waitForEvent('serviceworker');
  assert.equal(new URL(worker.url()).host, extensionId, 'the extension id follows from the manifest key');
  return { context, worker };
}

/** A page of `url` (or its iframe), with helpers to open channels and wait for the bridge's messages. */
async function openPage(context, url, { frame = false } = {}) {
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  await page.goto(url);
  const target = frame ? await (await page.waitForSelector('#softphone')).contentFrame() : page;
  await target.waitForFunction(() => typeof window.pingBridge === 'function');
  return { page, target };
}

/**
 * Waits for the first bridge message (from index `from`) that `predicate(message, arg)` accepts;
 * the predicate runs in the page, so it gets what it needs from the test as `arg`.
 */
async function waitBridge(target, predicate, from = 0, arg = null) {
  const handle = await target.waitForFunction(
    ([source, start, value]) => {
      const test = new Function('m', 'arg', `return (${source})(m, arg);`);
      return window.bridge.slice(start).find((m) => test(m, value)) ?? false;
    },
    [predicate.toString(), from, arg],
  );
  return handle.jsonValue();
}

/** The protocol frames received on `channel` so far, parsed. */
async function framesOf(target, channel) {
  return target.evaluate((ch) => window.bridge
    .filter((m) => m.cti_extension === 'frame' && m.channel === ch)
    .map((m) => JSON.parse(m.data)), channel);
}

/** Waits for a protocol frame on `channel` that `predicate` accepts. */
async function waitFrame(target, channel, predicate) {
  const handle = await target.waitForFunction(([ch, source]) => {
    const test = new Function('f', `return (${source})(f);`);
    return window.bridge
      .filter((m) => m.cti_extension === 'frame' && m.channel === ch)
      .map((m) => JSON.parse(m.data))
      .find((f) => test(f)) ?? false;
  }, [channel, predicate.toString()]);
  return handle.jsonValue();
}

const send = (target, channel, frame) => target.evaluate(
  ([ch, data]) => window.toBridge({ cti_page: 'frame', channel: ch, data }),
  [channel, typeof frame === 'string' ? frame : JSON.stringify(frame)],
);

let channels = 0;

/** Opens a channel and authenticates with `token` (preseeded); resolves with the snapshot. */
async function openChannel(target, token) {
  channels += 1;
  const channel = `ch-${channels}`;
  await target.evaluate((ch) => window.toBridge({ cti_page: 'open', channel: ch }), channel);
  const opened = await waitBridge(target, (m, ch) => m.channel === ch && (m.cti_extension === 'open' || m.cti_extension === 'close'), 0, channel);
  assert.deepEqual(opened, { cti_extension: 'open', channel }, `the channel did not open: ${JSON.stringify(opened)}`);
  await waitFrame(target, channel, (f) => f.type === 'hello');
  await send(target, channel, { v: 1, type: 'authenticate', id: 'auth', token });
  const authenticated = await waitFrame(target, channel, (f) => f.type === 'result' && f.id === 'auth');
  assert.equal(authenticated.ok, true, JSON.stringify(authenticated));
  const snapshot = await waitFrame(target, channel, (f) => f.type === 'snapshot');
  return { channel, snapshot };
}

describe('the browser extension and the native host in headless Chromium', NEEDS_ADAPTER, () => {
  let sandbox;
  let adapter;
  let context;
  let worker;
  let allowedServer;
  let otherServer;
  let allowed; // https://127.0.0.1:A, allowed by the adapter and the extension
  let other; // https://127.0.0.1:B, allowed by neither
  let token;
  let salesforceServer; // the packaged Salesforce softphone, as Salesforce's Visualforce domain serves it
  let salesforce;
  let salesforceToken;
  const standInState = { standIn: {} };

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium package (or set CHROMIUM_BIN)`);
    // The adapter's socket folder and pairings file stay in this test's folder; the host the
    // browser starts is given the same XDG_RUNTIME_DIR (by its wrapper) and finds the socket.
    sandbox = await AdapterSandbox.create('cti-extension-');
    const tmp = sandbox.dir;

    const tls = await makeCertificate(tmp);
    const ctiJs = await ctiClientFiles();
    allowedServer = await startPageServer(tls, (url) => {
      if (ctiJs.has(url)) return ctiJs.get(url);
      if (url === '/cti-page') return ctiPage(adapter.port, token);
      return PAGE;
    });
    otherServer = await startPageServer(tls, (url) => {
      if (url === '/console') return framingPage(`${salesforce}/softphone.html`);
      return url.startsWith('/crm') ? framingPage(`${allowed}/softphone`) : PAGE;
    });
    allowed = `https://127.0.0.1:${allowedServer.address().port}`;
    other = `https://127.0.0.1:${otherServer.address().port}`;
    await promisify(execFile)('bash', [join(SALESFORCE_DIR, 'package.sh'), join(tmp, 'salesforce')]);
    salesforceServer = createServer(tls, softphoneFiles(join(tmp, 'salesforce', 'CtiSoftphone'),
      await readFile(join(HERE, 'open_cti_stand_in.js'), 'utf8'), standInState));
    salesforceServer.listen(0, '127.0.0.1');
    await once(salesforceServer, 'listening');
    salesforce = `https://127.0.0.1:${salesforceServer.address().port}`;

    const seeded = await sandbox.newPairingToken(allowed);
    token = seeded.token;
    const seededSalesforce = await sandbox.newPairingToken(salesforce);
    salesforceToken = seededSalesforce.token;
    await sandbox.writeConfig({
      allowed_origins: [allowed, salesforce],
      pairing: { preseeded: [seeded.entry, seededSalesforce.entry] },
    });
    adapter = await sandbox.start();

    ({ context, worker } = await launchExtensionBrowser(sandbox, [allowedServer, otherServer, salesforceServer]));
    await setExtensionOrigins([allowed]);
  });

  after(async () => {
    await context?.close().catch(() => {});
    for (const server of [allowedServer, otherServer, salesforceServer]) {
      if (server) { server.closeAllConnections(); server.close(); }
    }
    await sandbox?.remove();
  });

  /**
   * Sets the options page's list (chrome.storage.local) and waits until the service worker has
   * registered the content script for exactly those origins.
   */
  async function setExtensionOrigins(origins) {
    const matches = await worker.evaluate(async (list) => {
      await chrome.storage.local.set({ allowed_origins: list });
      await globalThis.syncContentScript();
      const [script] = await chrome.scripting.getRegisteredContentScripts({ ids: ['cti-bridge'] });
      return script ? [...script.matches].sort().join(' ') : 'not registered';
    }, origins);
    assert.equal(matches, origins.map((o) => `${o}/*`).sort().join(' '));
  }

  test('the options page adds an exact origin, refuses anything else, and the bridge follows its list', async () => {
    const extensionId = new URL(worker.url()).host;
    const options = await context.newPage();
    options.setDefaultTimeout(15000);
    try {
      await options.goto(`chrome-extension://${extensionId}/options.html`);
      await options.locator('[data-testid="local"] li', { hasText: allowed }).waitFor();
      await options.fill('[data-testid="origin"]', `${other}/crm`);
      await options.click('button[type="submit"]');
      await options.locator('[data-testid="error"]', { hasText: `is not an exact origin: write it as ${other}` }).waitFor();

      await options.fill('[data-testid="origin"]', other);
      await options.click('button[type="submit"]');
      await options.locator('[data-testid="local"] li', { hasText: other }).waitFor();
      const both = await worker.evaluate(async () => {
        await globalThis.syncContentScript();
        return (await chrome.scripting.getRegisteredContentScripts())[0].matches.sort();
      });
      assert.deepEqual(both, [`${allowed}/*`, `${other}/*`].sort());

      await options.locator('[data-testid="local"] li', { hasText: other }).getByRole('button', { name: 'Remove' }).click();
      await options.locator('[data-testid="local"] li', { hasText: other }).waitFor({ state: 'detached' });
    } finally {
      await options.close();
      await setExtensionOrigins([allowed]);
    }
  });

  test('a public page with its WebSocket blocked gets its screen pop and dials through the extension', async () => {
    const { page, target } = await openPage(context, `${allowed}/`);
    try {
      // The field's case: the browser blocks the page's own WebSocket to the adapter.
      assert.equal(await target.evaluate((url) => window.tryWebSocket(url), `ws://127.0.0.1:${adapter.port}/ws`), 'error');
      assert.deepEqual(await target.evaluate(() => window.pingBridge()), [{ cti_extension: 'ready', version: 1 }]);

      const { channel } = await openChannel(target, token);
      const rang = await sandbox.cli(['simulate', 'incoming', '+14155550123', '--name', 'Ada Lovelace', '--port', String(adapter.port)]);
      assert.equal(rang.code, 0, rang.stderr);
      const pop = await waitFrame(target, channel, (f) => f.type === 'event' && f.name === 'screen_pop');
      assert.equal(pop.number, '+14155550123');

      await send(target, channel, { v: 1, type: 'dial', id: 'd1', to: '+1 (415) 555-0199' });
      const dialed = await waitFrame(target, channel, (f) => f.type === 'result' && f.id === 'd1');
      assert.equal(dialed.ok, true, JSON.stringify(dialed));
      const dialing = await waitFrame(target, channel, (f) => f.type === 'event' && f.name === 'call.dialing' && f.call.direction === 'outbound');
      assert.equal(dialing.call.id, dialed.data.call_id);
      assert.equal(dialing.call.to.number, '+14155550199');

      // The page closes its channel: the bridge confirms, and the host lets go of the adapter.
      await target.evaluate((ch) => window.toBridge({ cti_page: 'close', channel: ch }), channel);
      assert.equal((await waitBridge(target, (m) => m.cti_extension === 'close')).code, 1000);
    } finally {
      await page.close();
    }
  });

  test('cti.js with transport extension pops and dials through the extension', async () => {
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    try {
      await page.goto(`${allowed}/cti-page`);
      await page.waitForFunction(() => window.client?.connected === true).catch(async (error) => {
        const state = await page.evaluate(() => JSON.stringify({ state: window.client?.connectionState, transport: window.client?.transport, pairing: window.client?.pairing }));
        throw new Error(`cti.js did not connect: ${state}; ${error.message}`);
      });
      assert.equal(await page.evaluate(() => window.client.transport), 'extension');
      const rang = await sandbox.cli(['simulate', 'incoming', '+14155550125', '--port', String(adapter.port)]);
      assert.equal(rang.code, 0, rang.stderr);
      await page.waitForFunction(() => window.pops.some((p) => p.number === '+14155550125'));
      const dialed = await page.evaluate(() => window.client.dial('+14155550198'));
      assert.match(dialed.call_id, /./);
    } finally {
      await page.evaluate(() => window.client?.close()).catch(() => {});
      await page.close();
    }
  });

  test('the softphone in a cross-origin iframe of a CRM page reaches the adapter too', async () => {
    const { page, target } = await openPage(context, `${other}/crm`, { frame: true });
    try {
      assert.deepEqual(await target.evaluate(() => window.pingBridge()), [{ cti_extension: 'ready', version: 1 }]);
      const { snapshot } = await openChannel(target, token);
      assert.equal(snapshot.type, 'snapshot');
    } finally {
      await page.close();
    }
  });

  test('the Salesforce softphone in a cross-origin iframe of the console pops and logs through the extension', async () => {
    await setExtensionOrigins([allowed, salesforce]);
    // The call center's settings: the adapter's port, and the extension as the transport.
    standInState.standIn = {
      settings: { '/ctiAdapter/ports': String(adapter.port), '/ctiAdapter/transport': 'extension' },
      searchResults: { '+14155550126': { '003000000000126AAA': { Id: '003000000000126AAA', Name: 'Ada Lovelace', RecordType: 'Contact' } } },
    };
    // IT's preseeded token, where the panel's cti.js keeps tokens (the frame's own storage).
    await context.addInitScript(([origin, key, value]) => {
      if (window.location.origin === origin) window.localStorage.setItem(key, value);
    }, [salesforce, `cti-adapter.token.127.0.0.1:${adapter.port}`, salesforceToken]);
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    try {
      await page.goto(`${other}/console`);
      const frame = page.frameLocator('#softphone');
      await frame.locator('[data-testid="connection-status"][data-state="connected"]').waitFor();
      const panel = page.frames().find((f) => f.url().startsWith(salesforce));
      assert.equal(await panel.evaluate(() => window.openCtiStandIn.calls.some((c) => c.method === 'enableClickToDial')), true);

      const rang = await sandbox.cli(['simulate', 'incoming', '+14155550126', '--name', 'Ada Lovelace', '--port', String(adapter.port)]);
      assert.equal(rang.code, 0, rang.stderr);
      const callId = rang.stdout.trim().split('\n')[0];
      const card = frame.locator(`[data-testid="call"][data-call-id="${callId}"]`);
      await card.locator('[data-testid="call-record"]').filter({ hasText: 'Contact: Ada Lovelace' }).waitFor();
      await card.locator('[data-testid="answer"]').click();
      await card.and(frame.locator('[data-state="connected"]')).waitFor();
      await card.locator('[data-testid="hangup"]').click();
      const wrapUp = frame.locator(`[data-testid="wrap-up"][data-log-id="${callId}"]`);
      await wrapUp.locator('[data-testid="save-log"]').click();
      await wrapUp.waitFor({ state: 'detached' });
      const saved = await panel.evaluate((id) => window.openCtiStandIn.calls
        .filter((c) => c.method === 'saveLog' && c.args.value.CallObject === id).map((c) => c.args.value), callId);
      assert.equal(saved.length, 1);
      assert.equal(saved[0].WhoId, '003000000000126AAA');
    } finally {
      await page.close();
      await setExtensionOrigins([allowed]);
    }
  });

  test('a page on an origin that is not allowed gets nothing: no bridge, no WebSocket', async () => {
    const { page, target } = await openPage(context, `${other}/`);
    try {
      assert.deepEqual(await target.evaluate(() => window.pingBridge()), []);
      assert.equal(await target.evaluate((url) => window.tryWebSocket(url), `ws://127.0.0.1:${adapter.port}/ws`), 'error');
      const worker_scripts = await worker.evaluate(() => chrome.scripting.getRegisteredContentScripts());
      assert.deepEqual(worker_scripts.map((s) => s.matches), [[`${allowed}/*`]]);
    } finally {
      await page.close();
    }
  });

  test('the service worker refuses a channel from an origin no longer allowed, and the adapter one it does not allow', async () => {
    // The page loaded while its origin was allowed, so its bridge is there; then the origin is removed.
    const { page, target } = await openPage(context, `${allowed}/`);
    try {
      await setExtensionOrigins([other]);
      await target.evaluate(() => window.toBridge({ cti_page: 'open', channel: 'late' }));
      const refused = await waitBridge(target, (m) => m.channel === 'late');
      assert.equal(refused.cti_extension, 'close');
      assert.equal(refused.code, 4403);
      assert.match(refused.reason, /extension does not allow the origin https:\/\/127\.0\.0\.1:\d+/);
    } finally {
      await page.close();
    }
    // The extension allows `other` now, the adapter does not: its refusal reaches the page.
    const { page: otherPage, target: otherTarget } = await openPage(context, `${other}/`);
    try {
      await otherTarget.evaluate(() => window.toBridge({ cti_page: 'open', channel: 'x' }));
      const closed = await waitBridge(otherTarget, (m) => m.channel === 'x' && m.cti_extension === 'close');
      assert.equal(closed.code, 4403, JSON.stringify(closed));
    } finally {
      await otherPage.close();
      await setExtensionOrigins([allowed]);
    }
  });

  test('a malformed or oversized message gets an error and the channel goes on', async () => {
    const { page, target } = await openPage(context, `${allowed}/`);
    try {
      const { channel } = await openChannel(target, token);
      const errors = (from) => waitBridge(target, (m) => m.cti_extension === 'error', from);
      let mark = await target.evaluate(() => window.bridge.length);

      // Over the host's 1 MiB limit for one message from the browser: the host refuses it and reads on.
      await send(target, channel, 'x'.repeat(ONE_MIB + 1));
      const tooBig = await errors(mark);
      assert.equal(tooBig.channel, channel);
      assert.match(tooBig.code, /^[a-z_]+$/);
      assert.ok(tooBig.message.length > 0);

      // Not text: the bridge refuses it before it leaves the page.
      mark = await target.evaluate(() => window.bridge.length);
      await target.evaluate((ch) => window.toBridge({ cti_page: 'frame', channel: ch, data: 42 }), channel);
      const notText = await errors(mark);
      assert.deepEqual([notText.channel, notText.code], [channel, 'bad_message']);
      assert.match(notText.message, /must be text/);

      // A channel that is not open, and a message the bridge does not know.
      mark = await target.evaluate(() => window.bridge.length);
      await target.evaluate(() => window.toBridge({ cti_page: 'frame', channel: 'nope', data: '{}' }));
      assert.equal((await errors(mark)).code, 'no_such_channel');
      mark = await target.evaluate(() => window.bridge.length);
      await target.evaluate(() => window.toBridge({ cti_page: 'shout' }));
      assert.match((await errors(mark)).message, /unknown cti_page message 'shout'/);

      // Text that is not JSON goes through to the adapter, which answers with its own error frame.
      await send(target, channel, 'not json');
      const badJson = await waitFrame(target, channel, (f) => f.type === 'error');
      assert.equal(badJson.error.code, 'bad_json');

      // The same channel still carries commands.
      await send(target, channel, { v: 1, type: 'ping', id: 'after' });
      const pong = await waitFrame(target, channel, (f) => f.type === 'result' && f.id === 'after');
      assert.equal(pong.ok, true);
      assert.equal(await target.evaluate((ch) => window.bridge.some((m) => m.cti_extension === 'close' && m.channel === ch), channel), false);
    } finally {
      await page.close();
    }
  });

  test('the adapter restarts: the channel ends, a new one opens and resumes', async () => {
    const { page, target } = await openPage(context, `${allowed}/`);
    try {
      const { channel, snapshot } = await openChannel(target, token);
      await adapter.stop();
      const closed = await waitBridge(target, (m) => m.cti_extension === 'close');
      assert.equal(closed.channel, channel);
      assert.ok([1001, 1006].includes(closed.code), JSON.stringify(closed));

      adapter = await sandbox.start();
      const again = await openChannel(target, token);
      assert.notEqual(again.snapshot.epoch, snapshot.epoch);
      await send(target, again.channel, { v: 1, type: 'resume', id: 'r1', epoch: snapshot.epoch, after_seq: snapshot.seq });
      const resumed = await waitFrame(target, again.channel, (f) => f.type === 'result' && f.id === 'r1');
      assert.deepEqual(resumed.data, { replayed: 0, resync: true });
      assert.equal((await framesOf(target, again.channel)).filter((f) => f.type === 'snapshot' && f.resync).length, 1);

      // And it works: a call pops on the new channel.
      const rang = await sandbox.cli(['simulate', 'incoming', '+14155550124', '--port', String(adapter.port)]);
      assert.equal(rang.code, 0, rang.stderr);
      await waitFrame(target, again.channel, (f) => f.type === 'event' && f.name === 'screen_pop');
    } finally {
      await page.close();
    }
  });
});

/**
 * IT's way to give the extension its origins: the browser's managed policy for the extension
 * (`3rdparty.extensions.<ID>`, read as chrome.storage.managed; BROWSER-EXTENSION.md). The file
 * is system-wide, so this runs only as root and removes exactly the file it wrote.
 */
const MANAGED_POLICY_FILE = '/etc/chromium/policies/managed/cti-adapter-extension-test.json';
const MANAGED_POLICY_SKIP = process.getuid && process.getuid() === 0 ? {} : {
  skip: `writing ${MANAGED_POLICY_FILE} needs root: run as root to test the extension's managed storage`,
};

describe("the extension's origins from IT's managed policy", { ...NEEDS_ADAPTER, ...MANAGED_POLICY_SKIP }, () => {
  let sandbox;
  let adapter;
  let context;
  let worker;
  let server;
  let origin;
  let token;
  let wrotePolicy = false;

  before(async () => {
    assert.ok(!existsSync(MANAGED_POLICY_FILE), `${MANAGED_POLICY_FILE} exists already: remove it before this test runs`);
    sandbox = await AdapterSandbox.create('cti-extension-managed-');
    server = await startPageServer(await makeCertificate(sandbox.dir), () => PAGE);
    origin = `https://127.0.0.1:${server.address().port}`;
    const seeded = await sandbox.newPairingToken(origin);
    token = seeded.token;
    await sandbox.writeConfig({ allowed_origins: [origin], pairing: { preseeded: [seeded.entry] } });
    adapter = await sandbox.start();
    const extensionId = (await readFile(join(EXTENSION, 'EXTENSION_ID'), 'utf8')).trim();
    await mkdir(dirname(MANAGED_POLICY_FILE), { recursive: true });
    await writeFile(MANAGED_POLICY_FILE, JSON.stringify({
      '3rdparty': { extensions: { [extensionId]: { allowed_origins: [origin] } } },
    }));
    wrotePolicy = true;
    ({ context, worker } = await launchExtensionBrowser(sandbox, [server]));
  });

  after(async () => {
    await context?.close().catch(() => {});
    if (wrotePolicy) await rm(MANAGED_POLICY_FILE, { force: true });
    if (server) { server.closeAllConnections(); server.close(); }
    await sandbox?.remove();
  });

  test('with nothing on the options page, the bridge runs on the managed origin and its channel reaches the adapter', async () => {
    const state = await worker.evaluate(async () => {
      await globalThis.syncContentScript();
      const [script] = await chrome.scripting.getRegisteredContentScripts({ ids: ['cti-bridge'] });
      return {
        managed: await chrome.storage.managed.get('allowed_origins'),
        local: await chrome.storage.local.get('allowed_origins'),
        matches: script ? script.matches : [],
      };
    });
    assert.deepEqual(state.managed, { allowed_origins: [origin] });
    assert.deepEqual(state.local, {}, 'the options page list is empty: the origin comes from the policy alone');
    assert.deepEqual(state.matches, [`${origin}/*`]);

    const options = await context.newPage();
    try {
      await options.goto(`chrome-extension://${new URL(worker.url()).host}/options.html`);
      await options.locator('[data-testid="managed"] li', { hasText: origin }).waitFor();
    } finally {
      await options.close();
    }

    const { page, target } = await openPage(context, `${origin}/`);
    try {
      assert.equal(await target.evaluate((url) => window.tryWebSocket(url), `ws://127.0.0.1:${adapter.port}/ws`), 'error');
      const { snapshot } = await openChannel(target, token);
      assert.equal(snapshot.type, 'snapshot');
    } finally {
      await page.close();
    }
  });
});
