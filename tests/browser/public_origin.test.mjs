// The public-origin harness (public_origin.mjs) meets Chromium's real Local Network Access rules:
// a page on a public https origin that opens ws://127.0.0.1:PORT/ws is blocked unless the user
// has granted the permission, and opens once they have.
//
// Run:  cd tests/browser && CTI_ADAPTER_BIN=/path/to/cti-adapter node --test public_origin.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { AdapterSandbox, NEEDS_ADAPTER } from './adapter_process.mjs';
import { startPublicOrigins } from './public_origin.mjs';

const PAGE = '<!doctype html><meta charset="utf-8"><title>CRM</title><p>CRM page</p>';

/** Opens a raw WebSocket in the page; resolves with how it ended: {opened, frame, code}. */
function openRawSocket(page, url) {
  return page.evaluate((wsUrl) => new Promise((resolve) => {
    const ws = new WebSocket(wsUrl);
    let opened = false;
    ws.onopen = () => { opened = true; };
    ws.onmessage = (msg) => { resolve({ opened, frame: JSON.parse(msg.data).type }); ws.close(); };
    ws.onclose = (ev) => resolve({ opened, frame: null, code: ev.code });
  }), url);
}

/** The adapter's log line for a WebSocket session that has ended. */
const SESSION_ENDED = / disconnected$/m;

/** How many WebSocket sessions the adapter has logged as ended since `mark` (its outputMark()). */
const endedSessionsSince = (adapter, mark) => (adapter.outputSince(mark).match(/ disconnected$/gm) || []).length;

describe('a page on a public https origin against the real adapter', NEEDS_ADAPTER, () => {
  let sandbox;
  let adapter;
  let origins;

  before(async () => {
    origins = await startPublicOrigins({
      handlers: { crm: (req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end(PAGE); } },
    });
    sandbox = await AdapterSandbox.started('cti-browser-public-', {
      allowed_origins: origins.origins,
      pairing: { required: false },
    });
    adapter = sandbox.adapter;
  });

  after(async () => {
    await origins?.close();
    await sandbox?.remove();
  });

  test('without the grant the WebSocket is blocked and the adapter sees no connection', async () => {
    const context = await origins.newContext();
    const page = await context.newPage();
    const consoleErrors = [];
    page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });
    await page.goto(`${origins.origin('crm')}/`);
    const mark = adapter.outputMark();
    const result = await openRawSocket(page, `ws://127.0.0.1:${adapter.port}/ws`);
    assert.deepEqual(result, { opened: false, frame: null, code: 1006 });
    assert.ok(consoleErrors.some((e) => e.includes('ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS')),
      `expected the browser's block in the console, got: ${consoleErrors.join(' | ')}`);
    // A connection that did reach the adapter would be logged when it ends; open and end one
    // that is allowed, so the count is read only after the adapter has logged everything.
    await context.grantPermissions(['local-network-access']);
    const allowed = await openRawSocket(page, `ws://127.0.0.1:${adapter.port}/ws`);
    assert.equal(allowed.opened, true);
    await adapter.waitForOutput(SESSION_ENDED, { after: mark });
    assert.equal(endedSessionsSince(adapter, mark), 1, 'only the granted WebSocket reached the adapter');
    await context.close();
  });

  test('with the grant (the user clicked Allow) the WebSocket opens and the adapter says hello', async () => {
    const context = await origins.newContext({ granted: true });
    const page = await context.newPage();
    await page.goto(`${origins.origin('crm')}/`);
    const result = await openRawSocket(page, `ws://127.0.0.1:${adapter.port}/ws`);
    assert.deepEqual(result, { opened: true, frame: 'hello' });
    await context.close();
  });
});
