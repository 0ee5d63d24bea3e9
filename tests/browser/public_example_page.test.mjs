// The complete example page of docs/BROWSER-CLIENT.md (section 5), copied out of the doc at test
// time, served from a public https origin (public_origin.mjs) next to cti.js, against the real
// adapter: the browser's local network access block shows as "blocked", not as "no adapter";
// once allowed the page connects and a simulated call pops; with no adapter running it says so.
// The import snippet of section 1 finds the adapter past a port that another program holds.
//
// Run:  cd tests/browser && CTI_ADAPTER_BIN=/path/to/cti-adapter node --test public_example_page.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { AdapterSandbox, NEEDS_ADAPTER, freePort } from './adapter_process.mjs';
import { startPublicOrigins } from './public_origin.mjs';
import { ctiClientFiles } from './cti_client_files.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The html block of BROWSER-CLIENT.md section 5, the page the doc tells readers to save. */
async function examplePageFromDoc() {
  const doc = await readFile(join(ROOT, 'docs', 'BROWSER-CLIENT.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## 5. A complete example page'));
  const match = /```html\n([\s\S]*?)\n```/.exec(section);
  assert.ok(match, 'BROWSER-CLIENT.md section 5 has no ```html block');
  return match[1];
}

/** The js block of BROWSER-CLIENT.md section 1 that imports cti.js from the adapter. */
async function importSnippetFromDoc() {
  const doc = await readFile(join(ROOT, 'docs', 'BROWSER-CLIENT.md'), 'utf8');
  const section = doc.slice(doc.indexOf('**Import it from the adapter**'));
  const match = /```js\n([\s\S]*?)\n\s*```/.exec(section);
  assert.ok(match, 'BROWSER-CLIENT.md section 1 has no ```js block after "Import it from the adapter"');
  return match[1];
}

describe('the BROWSER-CLIENT.md example page on a public https origin', NEEDS_ADAPTER, () => {
  let sandbox;
  let adapter;
  let origins;
  /** The port the served page's client tries (the adapter's, or one nobody listens on). */
  let pagePort;

  /** The doc's import snippet, read once. */
  let importSnippet;
  /** Another program on a port of the adapter's list: it answers, but serves no cti.js. */
  let heldServer;
  let heldPort;

  before(async () => {
    const example = await examplePageFromDoc();
    importSnippet = await importSnippetFromDoc();
    heldServer = createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<p>not cti</p>'); });
    heldServer.listen(0, '127.0.0.1');
    await once(heldServer, 'listening');
    heldPort = heldServer.address().port;
    const ctiJs = await ctiClientFiles();
    origins = await startPublicOrigins({
      handlers: {
        crm: (req, res) => {
          const path = new URL(req.url, 'https://x').pathname;
          if (ctiJs.has(path)) {
            res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
            res.end(ctiJs.get(path));
          } else if (path === '/import') {
            // The doc's import snippet, as written but with this test's ports: the first one
            // held by another program, as in a port conflict.
            const snippet = importSnippet.replace('[11000, 11001, 11002, 11003]', `[${heldPort}, ${adapter.port}]`);
            assert.notEqual(snippet, importSnippet, 'the snippet no longer lists [11000, 11001, 11002, 11003]');
            res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
            res.end(`<!doctype html><script type="module">${snippet}\nwindow.imported = typeof CtiClient;</script>`);
          } else if (path === '/') {
            // The doc's page as written, but on this test's port instead of 11000-11003.
            const page0 = example.replace('new CtiClient()', `new CtiClient({ ports: [${pagePort}] })`);
            assert.notEqual(page0, example, 'the example no longer says `new CtiClient()`');
            res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
            res.end(page0);
          } else {
            res.writeHead(404);
            res.end();
          }
        },
      },
    });
    sandbox = await AdapterSandbox.started('cti-browser-example-', {
      allowed_origins: origins.origins,
      pairing: { required: false },
    });
    adapter = sandbox.adapter;
    pagePort = adapter.port;
  });

  after(async () => {
    await origins?.close();
    await sandbox?.remove();
    heldServer?.close();
  });

  async function openPage({ granted }) {
    const context = await origins.newContext({ granted });
    const page = await context.newPage();
    page.setDefaultTimeout(10000);
    await page.goto(`${origins.origin('crm')}/`);
    return { context, page };
  }

  test('without the grant: the page shows the browser block and the Allow button, not "no adapter"', async () => {
    pagePort = adapter.port;
    const { context, page } = await openPage({ granted: false });
    await page.locator('#status[data-reason="blocked"]').waitFor();
    assert.equal(await page.locator('#allow').isVisible(), true);
    assert.match(await page.locator('#remedy').textContent(), /browser blocks this page/);
    assert.doesNotMatch(await page.locator('#remedy').textContent(), /No phone adapter is running/);
    await context.close();
  });

  test('blocked, the button dismissed, then allowed: the page connects without a reload', async () => {
    pagePort = adapter.port;
    const { context, page } = await openPage({ granted: false });
    await page.locator('#status[data-reason="blocked"]').waitFor();
    // Headless Chromium answers the prompt the click raises as a dismissal: still blocked.
    await page.locator('#allow').click();
    await page.locator('#status[data-reason="blocked"]').waitFor();
    // The user allows it (the prompt, or the site settings): cti.js follows the permission.
    await context.grantPermissions(['local-network-access']);
    await page.locator('#status[data-state="connected"]').waitFor();
    assert.equal(await page.locator('#allow').isVisible(), false);
    await context.close();
  });

  test('with the grant: connected, and a simulated call pops on the page', async () => {
    pagePort = adapter.port;
    const { context, page } = await openPage({ granted: true });
    await page.locator('#status[data-state="connected"]').waitFor();
    assert.equal(await page.locator('#allow').isVisible(), false);
    const result = await sandbox.cli(
      ['simulate', 'incoming', '+14155550123', '--name', 'Ada Lovelace', '--port', String(adapter.port)]);
    assert.equal(result.code, 0, `simulate exited ${result.code}: ${result.stderr}`);
    await page.locator('#calls .call').filter({ hasText: 'ringing: Ada Lovelace +14155550123' }).waitFor();
    await page.locator('#calls .call button', { hasText: 'Decline' }).click();
    await page.locator('#history li').filter({ hasText: 'Ada Lovelace' }).waitFor();
    await context.close();
  });

  test('the import snippet of section 1 finds the adapter past a port another program holds', async () => {
    const context = await origins.newContext({ granted: true });
    const page = await context.newPage();
    page.setDefaultTimeout(10000);
    await page.goto(`${origins.origin('crm')}/import`);
    await page.waitForFunction(() => window.imported !== undefined);
    assert.equal(await page.evaluate(() => window.imported), 'function');
    await context.close();
  });

  test('granted but no adapter running: "no adapter", not "blocked"', async () => {
    pagePort = await freePort();
    const { context, page } = await openPage({ granted: true });
    await page.locator('#status[data-reason="no_adapter"]').waitFor();
    assert.equal(await page.locator('#allow').isVisible(), false);
    assert.match(await page.locator('#remedy').textContent(), /No phone adapter is running/);
    await context.close();
  });
});
