// Tests of the Salesforce softphone (installer/salesforce/) in headless Chromium.
//
// Salesforce itself cannot run here. Everything else is real:
//  - installer/salesforce/package.sh builds the static resource folder, and the test's own
//    static server (a free loopback port) serves it, the way Salesforce serves the page;
//  - that server also answers /support/api/<version>/lightning/opencti_min.js — the path the
//    page loads Open CTI from — with a stand-in (open_cti_stand_in.js) that records every call;
//  - the real cti-adapter executable runs with the simulator driver on a free port, with the
//    shipped installer/salesforce/adapter-config.json plus the static server's origin, and
//    the call center's `/ctiAdapter/ports` setting points the page at it;
//  - calls are made with the adapter's `simulate` command; the adapter's journal is read with
//    the `history` command from a page of the adapter's own origin.
//
// Run:  cd tests/browser && npm ci && CTI_ADAPTER_BIN=/path/to/cti-adapter node --test salesforce_softphone.test.mjs
// Nothing waits with fixed sleeps: the page is observed with Playwright's auto-waiting.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { ADAPTER_BIN, NEEDS_ADAPTER, freePort, parseCallId, runCli, startAdapter } from './adapter_process.mjs';
import { softphoneFiles } from './softphone_files.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const SALESFORCE_DIR = join(HERE, '..', '..', 'installer', 'salesforce');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const ARTIFACTS = process.env.CTI_BROWSER_ARTIFACTS || join(HERE, 'artifacts');

const ADA = { number: '+14155550123', name: 'Ada Lovelace' };
const ADA_CONTACT = { Id: '003000000000001AAA', Name: 'Ada Lovelace', RecordType: 'Contact' };

/** `[data-testid="id"]` */
const tid = (id) => `[data-testid="${id}"]`;

/**
 * Serves the packaged softphone folder, and the Open CTI stand-in at Salesforce's path.
 * `standIn` is the stand-in's configuration for the next page load.
 */
async function startStaticServer(root, standInSource) {
  const state = { standIn: {} };
  const server = createServer(softphoneFiles(root, standInSource, state));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, state, port: server.address().port };
}

describe('Salesforce softphone in headless Chromium', NEEDS_ADAPTER, () => {
  let tmp;
  let adapter;
  let statics;
  let browser;
  let context;
  let page;
  /** The softphone's address as Salesforce would frame it. */
  let softphoneUrl;
  /** A page of the adapter's own origin, to read its journal with `history`. */
  let journal;
  const consoleErrors = [];

  const simulate = async (...args) => {
    const result = await runCli(ADAPTER_BIN, ['simulate', ...args, '--port', String(adapter.port)]);
    assert.equal(result.code, 0, `simulate ${args.join(' ')} exited ${result.code}: ${result.stdout} ${result.stderr}`);
    return result.stdout;
  };
  const ring = async ({ number, name }) => {
    const callId = parseCallId(await simulate('incoming', number, '--name', name));
    assert.ok(callId, 'simulate incoming printed a call id');
    return callId;
  };

  const callCard = (p, callId) => p.locator(`${tid('call')}[data-call-id="${callId}"]`);
  const wrapUp = (p, logId) => p.locator(`${tid('wrap-up')}[data-log-id="${logId}"]`);
  /** Every Open CTI call the page made so far: [{method, args}]. */
  const openCtiCalls = (p, method) => p.evaluate((m) => window.openCtiStandIn.calls.filter((c) => !m || c.method === m), method);
  const saveLogsOf = async (p, callId) => (await openCtiCalls(p, 'saveLog')).filter((c) => c.args.value.CallObject === callId);

  /** Opens the softphone in a new tab, collecting its console errors. */
  async function openSoftphone(url = softphoneUrl, errors = consoleErrors) {
    const p = await context.newPage();
    p.setDefaultTimeout(10000);
    p.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`${msg.text()} (${msg.location().url || 'page'})`);
    });
    p.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));
    await p.goto(url);
    return p;
  }

  /**
   * Connects the journal page to the adapter with cti.js: `window.journal.record(logId)` reads
   * a call log with the `history` command, `window.journal.saved(logId)` resolves on its
   * `call_log.saved` event (seen since now), `window.journal.client` has the active calls.
   */
  function connectJournal() {
    return journal.evaluate(async () => {
      const { CtiClient } = await import('/cti.js');
      const client = new CtiClient({ ports: [Number(window.location.port)] });
      await client.connect();
      const saved = new Map();
      const waiting = new Map();
      client.on('call_log.saved', ({ log }) => {
        saved.set(log.log_id, log);
        waiting.get(log.log_id)?.(log);
      });
      window.journal = {
        client,
        saved: (id) => (saved.has(id) ? Promise.resolve(saved.get(id)) : new Promise((resolve) => waiting.set(id, resolve))),
        async record(id) {
          let before;
          for (;;) {
            const { logs, next } = await client.history({ limit: 100, before });
            const hit = logs.find((l) => l.log_id === id);
            if (hit || !next) return hit || null;
            before = next;
          }
        },
      };
    });
  }

  /** The adapter's journal record of a call log, read with the `history` command. */
  const journalRecord = (logId) => journal.evaluate((id) => window.journal.record(id), logId);

  before(async () => {
    assert.ok(existsSync(ADAPTER_BIN), `CTI_ADAPTER_BIN=${ADAPTER_BIN} does not exist`);
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium package (or set CHROMIUM_BIN)`);
    await mkdir(ARTIFACTS, { recursive: true });
    tmp = await mkdtemp(join(tmpdir(), 'cti-salesforce-'));

    // The files exactly as package.sh builds them for the static resource.
    await promisify(execFile)('bash', [join(SALESFORCE_DIR, 'package.sh'), join(tmp, 'package')]);
    statics = await startStaticServer(join(tmp, 'package', 'CtiSoftphone'),
      await readFile(join(HERE, 'open_cti_stand_in.js'), 'utf8'));
    softphoneUrl = `http://127.0.0.1:${statics.port}/softphone.html`;

    // The shipped config snippet, plus this server's origin and the test's own files.
    const shipped = JSON.parse(await readFile(join(SALESFORCE_DIR, 'adapter-config.json'), 'utf8'));
    const configPath = join(tmp, 'config.json');
    await writeFile(configPath, JSON.stringify({
      ...shipped,
      allowed_origins: [...shipped.allowed_origins, `http://127.0.0.1:${statics.port}`],
      log_file: join(tmp, 'adapter.log'),
      call_log_file: join(tmp, 'call-log.sqlite3'),
      simulator: { answer_after_ms: 600000 }, // an outbound call stays "dialing" until the test ends it
    }, null, 2));
    adapter = await startAdapter(ADAPTER_BIN, { configPath, port: 0 });
    statics.state.standIn = {
      settings: {
        '/reqGeneralInfo/reqInternalName': 'CtiAdapterSoftphone',
        '/ctiAdapter/ports': String(adapter.port),
        '/ctiAdapter/dispositions': 'Resolved,Follow-up needed,Left voicemail',
      },
      searchResults: { [ADA.number]: { [ADA_CONTACT.Id]: ADA_CONTACT } },
    };

    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    journal = await context.newPage();
    await journal.goto(`${adapter.url}health`);
    await connectJournal();
  });

  after(async () => {
    // Each step runs even when an earlier one fails, so nothing is left running.
    await browser?.close().catch(() => {});
    await adapter?.stop().catch(() => {});
    if (statics) {
      statics.server.closeAllConnections();
      statics.server.close();
    }
    if (tmp) await rm(tmp, { recursive: true, force: true }).catch(() => {});
  });

  test('the panel asks to be paired; the agent approves it on the adapter\'s /pair page', async () => {
    page = await openSoftphone();
    // The static server's origin is allowed but is not the adapter's own: no token, no phone.
    const notice = page.locator(`${tid('notice')}[data-reason="pairing"]`);
    await notice.waitFor();
    const code = /Code: (\d{6})/.exec(await page.locator(tid('notice-text')).textContent())[1];
    assert.equal(await page.locator(tid('notice-origin')).textContent(), `http://127.0.0.1:${statics.port}`);
    assert.match(await page.locator(tid('notice-steps')).textContent(), new RegExp(`${adapter.url}pair`));
    assert.equal(await page.locator(`${tid('connection-status')}[data-state="connected"]`).count(), 0);
    await page.screenshot({ path: join(ARTIFACTS, 'salesforce-softphone-pairing.png'), fullPage: true });

    // A second tab: the adapter's own page lists the request with the same origin and code.
    const pairPage = await context.newPage();
    pairPage.setDefaultTimeout(10000);
    await pairPage.goto(`${adapter.url}pair`);
    const request = pairPage.locator(tid('pair-request')).filter({ hasText: `http://127.0.0.1:${statics.port}` });
    await request.waitFor();
    assert.equal(await request.locator(tid('pair-code')).textContent(), code);
    assert.equal(await request.locator(tid('pair-name')).textContent(), 'Salesforce softphone');
    await pairPage.screenshot({ path: join(ARTIFACTS, 'pair-page.png'), fullPage: true });
    await request.locator(tid('pair-approve')).click();

    await page.locator(`${tid('connection-status')}[data-state="connected"]`).waitFor();
    assert.equal(await page.locator(tid('notice')).isHidden(), true);
    await pairPage.locator(tid('pairing')).filter({ hasText: `http://127.0.0.1:${statics.port}` }).waitFor();
    await pairPage.close();
    await page.close();
  });

  test('the panel connects, turns on click-to-dial and tells Salesforce it is ready', async () => {
    // Paired by the test above: the stored token opens the session without asking again.
    page = await openSoftphone();
    await page.locator(`${tid('connection-status')}[data-state="connected"]`).waitFor();
    await page.waitForFunction(() => window.openCtiStandIn.calls.some((c) => c.method === 'notifyInitializationComplete'));
    const methods = (await openCtiCalls(page)).map((c) => c.method);
    for (const m of ['getCallCenterSettings', 'onClickToDial', 'enableClickToDial', 'notifyInitializationComplete']) {
      assert.equal(methods.filter((x) => x === m).length, 1, `${m} once: ${methods}`);
    }
    assert.equal(await page.locator(tid('notice')).isHidden(), true);
    assert.deepEqual(consoleErrors, []);
  });

  let adaCall;

  test('an inbound call opens the panel and pops exactly once, with the number and INBOUND', async () => {
    adaCall = await ring(ADA);
    const card = callCard(page, adaCall);
    await card.waitFor();
    await card.locator(tid('call-record')).filter({ hasText: 'Contact: Ada Lovelace' }).waitFor();
    await card.locator(tid('answer')).click();
    await callCard(page, adaCall).and(page.locator('[data-state="connected"]')).waitFor();

    const pops = await openCtiCalls(page, 'searchAndScreenPop');
    assert.equal(pops.length, 1, JSON.stringify(pops));
    assert.equal(pops[0].args.searchParams, ADA.number);
    assert.equal(pops[0].args.callType, 'inbound');
    assert.equal(pops[0].args.deferred, false);
    assert.equal(new URLSearchParams(pops[0].args.queryParams).get('CallObject'), adaCall);
    const shown = await openCtiCalls(page, 'setSoftphonePanelVisibility');
    assert.deepEqual(shown.map((c) => c.args), [{ visible: true }]);
    await page.screenshot({ path: join(ARTIFACTS, 'salesforce-softphone-call.png'), fullPage: true });
  });

  test('the ended call is logged as one Task with the wrap-up, then acknowledged in the adapter', async () => {
    await simulate('remote_hangup', adaCall);
    const form = wrapUp(page, adaCall);
    await form.waitFor();
    assert.deepEqual(await form.locator(`${tid('disposition')} option`).allTextContents(),
      ['Resolved', 'Follow-up needed', 'Left voicemail']);
    await form.locator(tid('disposition')).selectOption('Follow-up needed');
    await form.locator(tid('notes')).fill('Asked about the invoice.\nCall back on Monday.');
    await page.screenshot({ path: join(ARTIFACTS, 'salesforce-softphone-wrap-up.png'), fullPage: true });
    await form.locator(tid('save-log')).click();
    await form.waitFor({ state: 'detached' });

    const saved = await saveLogsOf(page, adaCall);
    assert.equal(saved.length, 1, JSON.stringify(saved));
    const task = saved[0].args.value;
    const record = await journalRecord(adaCall);
    assert.deepEqual(task, {
      entityApiName: 'Task',
      Subject: `Inbound call from ${ADA.name} (${ADA.number})`,
      CallType: 'Inbound',
      CallDurationInSeconds: record.duration_s,
      CallDisposition: 'Follow-up needed',
      CallObject: adaCall,
      Description: 'Asked about the invoice.\nCall back on Monday.',
      Status: 'Completed',
      ActivityDate: task.ActivityDate,
      WhoId: ADA_CONTACT.Id,
    });
    assert.match(task.ActivityDate, /^\d{4}-\d\d-\d\d$/);
    assert.equal(record.acknowledged, true);
    assert.equal(record.disposition, 'Follow-up needed');
    assert.equal(record.notes, 'Asked about the invoice.\nCall back on Monday.');
  });

  test('a number clicked in Salesforce is dialled by the adapter and its Task links the record', async () => {
    await page.evaluate(() => window.openCtiStandIn.clickToDial({
      number: '+1 (415) 555-0199', recordId: '001000000000001AAA', recordName: 'Acme', objectType: 'Account',
    }));
    const card = page.locator(`${tid('call')}[data-state="dialing"]`);
    await card.waitFor();
    const callId = await card.getAttribute('data-call-id');
    await card.locator(tid('call-record')).filter({ hasText: 'Account: Acme' }).waitFor();

    // The driver has it: the adapter's own event stream has the outbound call, still dialing.
    await journal.waitForFunction((id) => window.journal.client.getCall(id)?.state === 'dialing', callId);
    const inAdapter = await journal.evaluate((id) => window.journal.client.getCall(id), callId);
    assert.equal(inAdapter.direction, 'outbound');
    assert.equal(inAdapter.state, 'dialing');
    assert.equal(inAdapter.to.number, '+14155550199');

    await card.locator(tid('hangup')).click();
    const form = wrapUp(page, callId);
    await form.locator(tid('save-log')).click();
    await form.waitFor({ state: 'detached' });
    const [saved] = await saveLogsOf(page, callId);
    assert.equal(saved.args.value.CallType, 'Outbound');
    assert.equal(saved.args.value.Subject, 'Outbound call to +14155550199');
    assert.equal(saved.args.value.CallDurationInSeconds, 0);
    assert.equal(saved.args.value.WhatId, '001000000000001AAA');
    assert.equal(saved.args.value.WhoId, undefined);
  });

  test('a saveLog that fails keeps the log pending; after a reload it is sent again and acknowledged', async () => {
    const callId = await ring({ number: '+14155550777', name: 'Grace Hopper' });
    await callCard(page, callId).waitFor();
    await simulate('remote_hangup', callId);
    const form = wrapUp(page, callId);
    await form.locator(tid('notes')).fill('Wants a quote.');
    await page.evaluate(() => window.openCtiStandIn.failSaveLog(1));
    await form.locator(tid('save-log')).click();

    await page.locator(`${tid('wrap-up')}[data-log-id="${callId}"][data-status="failed"]`).waitFor();
    assert.match(await form.locator(tid('save-status')).textContent(), /Salesforce did not save the call log \(saveLog: REQUIRED_FIELD_MISSING/);
    assert.equal(await form.locator(tid('save-log')).textContent(), 'Retry');
    assert.equal((await saveLogsOf(page, callId)).length, 1);
    assert.equal((await journalRecord(callId)).acknowledged, false, 'not acknowledged while Salesforce has no Task');
    await page.screenshot({ path: join(ARTIFACTS, 'salesforce-softphone-save-failed.png'), fullPage: true });

    // A reload (Salesforce reloads the utility bar, or the agent does): sent again by itself.
    const acknowledged = journal.evaluate((id) => window.journal.saved(id), callId);
    await page.reload();
    await acknowledged;
    await wrapUp(page, callId).waitFor({ state: 'detached' });
    const again = await saveLogsOf(page, callId);
    assert.equal(again.length, 1, 'the reloaded page sent it once');
    assert.equal(again[0].args.value.Description, 'Wants a quote.');
    assert.equal(again[0].args.value.CallDisposition, 'Resolved');
    const record = await journalRecord(callId);
    assert.equal(record.acknowledged, true);
    assert.equal(record.notes, 'Wants a quote.');
  });

  test('Retry sends a failed call log again', async () => {
    const callId = await ring({ number: '+14155550778', name: 'Alan Turing' });
    await callCard(page, callId).locator(tid('decline')).click();
    const form = wrapUp(page, callId);
    await page.evaluate(() => window.openCtiStandIn.failSaveLog(1));
    await form.locator(tid('save-log')).click();
    await page.locator(`${tid('wrap-up')}[data-log-id="${callId}"][data-status="failed"]`).waitFor();
    await form.locator(tid('save-log')).click(); // "Retry"
    await form.waitFor({ state: 'detached' });
    assert.equal((await saveLogsOf(page, callId)).length, 2);
    assert.equal((await journalRecord(callId)).acknowledged, true);
  });

  test('with the console open in two tabs a call pops once and becomes one Task', async () => {
    const second = await openSoftphone();
    try {
      await second.locator(`${tid('connection-status')}[data-state="connected"]`).waitFor();
      const callId = await ring({ number: '+14155550779', name: 'Katherine Johnson' });
      await callCard(page, callId).waitFor();
      await callCard(second, callId).waitFor();
      // Whichever tab popped it, the other one learns the outcome only from the shared storage.
      await page.waitForFunction((id) => JSON.parse(localStorage.getItem('cti-adapter.salesforce.v1')).pops[id], callId);
      await callCard(page, callId).locator(tid('decline')).click();
      await wrapUp(second, callId).locator(tid('save-log')).click();
      await wrapUp(second, callId).waitFor({ state: 'detached' });
      await wrapUp(page, callId).waitFor({ state: 'detached' });

      const both = [...await openCtiCalls(page), ...await openCtiCalls(second)];
      const pops = both.filter((c) => c.method === 'searchAndScreenPop' && c.args.searchParams === '+14155550779');
      assert.equal(pops.length, 1, JSON.stringify(pops));
      assert.equal(both.filter((c) => c.method === 'saveLog' && c.args.value.CallObject === callId).length, 1);
    } finally {
      await second.close();
    }
  });

  test('no console errors while handling calls', () => {
    assert.deepEqual(consoleErrors, []);
  });

  /** Console errors other than the browser's own report of a refused adapter connection. */
  const unexpected = (errors) => errors.filter((e) => !/127\.0\.0\.1:\d+\/(ws|health)/.test(e)
    && !/Failed to load resource: net::ERR_CONNECTION_REFUSED/.test(e));

  test('adapter not running: the panel says so and what to do', async () => {
    const nobody = await freePort();
    const settings = statics.state.standIn.settings;
    statics.state.standIn = { ...statics.state.standIn, settings: { ...settings, '/ctiAdapter/ports': String(nobody) } };
    const errors = [];
    try {
      const p = await openSoftphone(softphoneUrl, errors);
      const notice = p.locator(`${tid('notice')}[data-reason="not_running"]`);
      await notice.waitFor();
      assert.equal(await p.locator(tid('notice-title')).textContent(), 'The phone adapter is not running');
      assert.match(await p.locator(tid('notice-text')).textContent(), new RegExp(`ports ${nobody}\\)`));
      assert.match(await p.locator(tid('notice-steps')).textContent(), /cti-adapter doctor/);
      // Between retries the status reads 'connecting' for a moment: wait for 'disconnected'.
      await p.locator(`${tid('connection-status')}[data-state="disconnected"]`).waitFor();
      await p.screenshot({ path: join(ARTIFACTS, 'salesforce-softphone-not-running.png'), fullPage: true });
      await p.close();
    } finally {
      statics.state.standIn = { ...statics.state.standIn, settings };
    }
    assert.deepEqual(unexpected(errors), []);
  });

  test('origin not allowed: the panel names the origin to add to allowed_origins', async () => {
    const errors = [];
    const foreign = softphoneUrl.replace('127.0.0.1', 'localhost'); // same files, an origin the adapter does not allow
    const p = await openSoftphone(foreign, errors);
    await p.locator(`${tid('notice')}[data-reason="origin_refused"]`).waitFor();
    assert.equal(await p.locator(tid('notice-origin')).textContent(), `http://localhost:${statics.port}`);
    assert.match(await p.locator(tid('notice-text')).textContent(), new RegExp(`port ${adapter.port}\\)`));
    assert.match(await p.locator(tid('notice-steps')).textContent(), /allowed_origins/);
    await p.screenshot({ path: join(ARTIFACTS, 'salesforce-softphone-origin-refused.png'), fullPage: true });
    await p.close();
    assert.deepEqual(unexpected(errors), []);
  });
});

describe('Salesforce package (installer/salesforce/package.sh)', () => {
  const run = promisify(execFile);
  let out;

  before(async () => {
    out = await mkdtemp(join(tmpdir(), 'cti-salesforce-package-'));
    await run('bash', [join(SALESFORCE_DIR, 'package.sh'), out]);
  });

  after(async () => {
    if (out) await rm(out, { recursive: true, force: true }).catch(() => {});
  });

  test('the static resource holds the page, its scripts and cti.js', async () => {
    const { stdout } = await run('zip', ['-sf', join(out, 'CtiSoftphone.zip')]);
    for (const file of ['softphone.html', 'softphone.css', 'softphone.js', 'salesforce_bridge.js', 'task_fields.js', 'cti.js']) {
      assert.match(stdout, new RegExp(`^\\s*${file.replace('.', '\\.')}$`, 'm'), `${file} in the zip:\n${stdout}`);
    }
    assert.equal(await readFile(join(out, 'CtiSoftphone', 'cti.js'), 'utf8'),
      await readFile(join(HERE, '..', '..', 'adapter', 'web', 'cti.js'), 'utf8'));
  });

  test('the Visualforce page and the metadata are well-formed and load the page from the static resource', async () => {
    const files = ['CtiSoftphone.page', 'metadata/package.xml', 'metadata/pages/CtiSoftphone.page-meta.xml',
      'metadata/staticresources/CtiSoftphone.resource-meta.xml'].map((f) => join(out, f));
    await run('xmllint', ['--noout', ...files]); // throws with xmllint's message when one is not
    const page = await readFile(join(out, 'CtiSoftphone.page'), 'utf8');
    assert.match(page, /^<apex:page [^>]*applyHtmlTag="false"/);
    assert.match(page, /<script type="module" src="\{!URLFOR\(\$Resource\.CtiSoftphone, 'softphone\.js'\)\}"><\/script>/);
    assert.match(page, /<link rel="stylesheet" href="\{!URLFOR\(\$Resource\.CtiSoftphone, 'softphone\.css'\)\}"\/>/);
    assert.match(page, /<script src="\/support\/api\/\d+\.\d+\/lightning\/opencti_min\.js"><\/script>/);
    assert.doesNotMatch(page, /DOCTYPE/);
  });

  test('the call center definition has every item Lightning Open CTI requires', async () => {
    const file = join(out, 'call-center.xml');
    await run('xmllint', ['--noout', file]);
    const xml = await readFile(file, 'utf8');
    const item = (name) => new RegExp(`<item sortOrder="\\d+" name="${name}" label="[^"]+">([^<]*)</item>`).exec(xml)?.[1];
    assert.match(item('reqInternalName'), /^[A-Za-z][A-Za-z0-9]{0,39}$/);
    assert.ok(item('reqDisplayName'));
    assert.equal(item('reqAdapterUrl'), '/apex/CtiSoftphone');
    assert.equal(item('reqUseApi'), 'true');
    assert.match(item('reqSoftphoneHeight'), /^\d+$/);
    assert.match(item('reqSoftphoneWidth'), /^\d+$/);
    assert.equal(item('reqSalesforceCompatibilityMode'), 'Lightning');
    assert.equal(item('ports'), '11000,11001,11002,11003');
    assert.match(xml, /<section sortOrder="0" name="reqGeneralInfo" label="[^"]+">/);
    assert.match(xml, /<section sortOrder="1" name="ctiAdapter" label="[^"]+">/);
  });
});
