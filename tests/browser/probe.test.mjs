// The /probe endpoint in headless Chromium: a page on an allowed origin (a second loopback
// server, so the request is cross-origin) fetches /probe on a click and reads the body, and
// cti.js's probe() finds the adapter; a page on an origin that is not allowed cannot.
//
// Run:  cd tests/browser && npm ci && CTI_ADAPTER_BIN=/path/to/cti-adapter node --test probe.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ADAPTER_BIN, NEEDS_ADAPTER, startAdapter } from './adapter_process.mjs';
import { ctiClientFiles } from './cti_client_files.mjs';

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** A page whose button fetches /probe directly and through cti.js (from its own server), and shows both answers. */
function probePage(adapterPort) {
  const adapter = `http://127.0.0.1:${adapterPort}`;
  return `<!doctype html><meta charset="utf-8"><title>probe</title>
<button id="probe">Connect the phone</button><pre id="out"></pre>
<script type="module">
import { probe } from './cti.js';
document.getElementById('probe').addEventListener('click', async () => {
  let raw;
  try {
    const response = await fetch('${adapter}/probe');
    raw = { status: response.status, body: await response.json() };
  } catch (error) {
    raw = { error: error.name };
  }
  const found = await probe({ ports: [${adapterPort}] });
  document.getElementById('out').textContent = JSON.stringify({ raw, found });
});
</script>`;
}

describe('/probe from a page in headless Chromium', NEEDS_ADAPTER, () => {
  let tmp;
  let adapter;
  let server;
  let pagePort;
  let browser;

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'cti-probe-'));
    const state = { adapterPort: 0 };
    // cti.js comes from the page's own server, as a CRM page that copies it would have it.
    const ctiJs = await ctiClientFiles();
    server = createServer((req, res) => {
      const script = ctiJs.has(req.url);
      res.writeHead(200, {
        'content-type': `${script ? 'text/javascript' : 'text/html'}; charset=utf-8`,
        'cache-control': 'no-store',
      });
      res.end(script ? ctiJs.get(req.url) : probePage(state.adapterPort));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    pagePort = server.address().port;

    // Only the 127.0.0.1 spelling of the page's origin is allowed; localhost is another origin.
    const configPath = join(tmp, 'config.json');
    await writeFile(configPath, JSON.stringify({
      allowed_origins: [`http://127.0.0.1:${pagePort}`],
      log_file: join(tmp, 'adapter.log'),
      call_log_file: join(tmp, 'call-log.sqlite3'),
    }));
    adapter = await startAdapter(ADAPTER_BIN, { configPath, port: 0 });
    state.adapterPort = adapter.port;

    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await adapter?.stop().catch(() => {});
    if (server) {
      server.closeAllConnections();
      server.close();
    }
    if (tmp) await rm(tmp, { recursive: true, force: true }).catch(() => {});
  });

  /** Opens the page at `host`, clicks the button, returns what it found. */
  async function clickProbe(host) {
    const page = await browser.newPage();
    try {
      await page.goto(`http://${host}:${pagePort}/`);
      await page.click('#probe');
      await page.waitForFunction(() => document.getElementById('out').textContent !== '');
      return JSON.parse(await page.textContent('#out'));
    } finally {
      await page.close();
    }
  }

  test('a page on an allowed origin reads /probe across origins, and probe() finds the adapter', async () => {
    const { raw, found } = await clickProbe('127.0.0.1');
    assert.equal(raw.status, 200);
    assert.deepEqual(Object.keys(raw.body).sort(), ['product', 'version']);
    assert.equal(raw.body.product, 'cti-adapter');
    assert.deepEqual(found, { product: 'cti-adapter', version: raw.body.version, port: adapter.port });
  });

  test('a page on another origin cannot read /probe, and probe() finds nothing', async () => {
    const { raw, found } = await clickProbe('localhost');
    assert.equal(raw.error, 'TypeError'); // a CORS failure: the 403 carries no CORS headers
    assert.equal(found, null);
  });
});
