// wss:// in the real browser (docs/TLS.md): the adapter with "tls": {"enabled": true} serves its
// page at https://127.0.0.1:PORT/, and the page connects back with wss:// (cti.js `secure`).
// Headless Chromium accepts exactly the adapter's key through
// --ignore-certificate-errors-spki-list with the SPKI hash from `cti-adapter tls show --json`,
// as a test or kiosk browser would; nothing else about the certificate is waived.
//
// Run:  cd tests/browser && CTI_ADAPTER_BIN=/path/to/cti-adapter node --test tls_page.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ADAPTER_BIN, NEEDS_ADAPTER, runCli, startAdapter } from './adapter_process.mjs';

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const tid = (id) => `[data-testid="${id}"]`;

describe('the softphone page over https:// and wss://', NEEDS_ADAPTER, () => {
  let tmp;
  let configPath;
  let adapter;
  let browser;
  let spki;

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium package (or set CHROMIUM_BIN)`);
    tmp = await mkdtemp(join(tmpdir(), 'cti-browser-tls-'));
    // The adapter's own key and certificate go to this test's data folder (spawn passes env on).
    process.env.XDG_DATA_HOME = join(tmp, 'data');
    configPath = join(tmp, 'config.json');
    await writeFile(configPath, JSON.stringify({
      log_file: join(tmp, 'adapter.log'),
      call_log_file: join(tmp, 'call-log.sqlite3'),
      tls: { enabled: true },
    }, null, 2));
    adapter = await startAdapter(ADAPTER_BIN, { configPath, port: 0 });
    const shown = await runCli(ADAPTER_BIN, ['tls', 'show', '--json', '--config', configPath]);
    assert.equal(shown.code, 0, `tls show exited ${shown.code}: ${shown.stderr}`);
    spki = JSON.parse(shown.stdout).spki_sha256;
    assert.match(spki, /^[A-Za-z0-9+/]{43}=$/);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${spki}`],
    });
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await adapter?.stop().catch(() => {});
    if (tmp) await rm(tmp, { recursive: true, force: true }).catch(() => {});
  });

  test('the page loads over https:// and connects with wss://', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(10000);
    const sockets = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    const consoleErrors = [];
    page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });
    await page.goto(`https://127.0.0.1:${adapter.port}/`);
    await page.locator(`${tid('connection-status')}[data-state="connected"]`).waitFor();
    assert.equal(await page.locator(tid('connection-status')).getAttribute('data-port'), String(adapter.port));
    assert.deepEqual(sockets, [`wss://127.0.0.1:${adapter.port}/ws`]);
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  test('a page from the plain http:// address of the same port still connects with ws://', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(10000);
    const sockets = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(adapter.url);
    await page.locator(`${tid('connection-status')}[data-state="connected"]`).waitFor();
    assert.deepEqual(sockets, [`ws://127.0.0.1:${adapter.port}/ws`]);
    await page.close();
  });
});
