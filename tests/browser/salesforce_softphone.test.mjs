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
import { ctiClientFiles } from './cti_client_files.mjs';

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
/** A number two records hold: the panel lists both. */
const SHARED = { number: '+14155550300', name: 'Front desk' };
const SHARED_RECORDS = [
  { Id: '001000000000300AAA', Name: 'Acme Corp', RecordType: 'Account' },
  { Id: '003000000000300AAA', Name: 'Grace Hopper', RecordType: 'Contact' },
];
/** A number no record holds. */
const STRANGER = { number: '+14155550400', name: 'Unknown Caller' };

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
  let configPath;
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
    configPath = join(tmp, 'config.json');
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
      searchResults: {
        [ADA.number]: { [ADA_CONTACT.Id]: ADA_CONTACT },
        [SHARED.number]: Object.fromEntries(SHARED_RECORDS.map((r) => [r.Id, r])),
      },
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
    for (const m of ['getCallCenterSettings', 'onClickToDial', 'enableClickToDial', 'notifyInitializationComplete',
      'onNavigationChange', 'getAppViewInfo']) {
      assert.equal(methods.filter((x) => x === m).length, 1, `${m} once: ${methods}`);
    }
    // Click-to-dial went on once the adapter answered, never before.
    assert.ok(methods.indexOf('enableClickToDial') > methods.indexOf('onClickToDial'));
    assert.equal(methods.includes('disableClickToDial'), false);
    // The minimised utility bar item says the phone is there.
    await page.waitForFunction(() => window.openCtiStandIn.calls.some((c) => c.method === 'setSoftphoneItemLabel' && c.args.label === 'Phone'));
    assert.equal(await page.locator(tid('notice')).isHidden(), true);
    assert.deepEqual(consoleErrors, []);
  });

  let adaCall;

  test('an inbound call opens the panel and pops exactly once, with the number and INBOUND', async () => {
    adaCall = await ring(ADA);
    const card = callCard(page, adaCall);
    await card.waitFor();
    const labels = async () => (await openCtiCalls(page, 'setSoftphoneItemLabel')).map((c) => c.args.label);
    await page.waitForFunction(() => window.openCtiStandIn.calls.some((c) => c.method === 'setSoftphoneItemLabel' && c.args.label === 'Ringing: Ada Lovelace'));
    await card.locator(tid('call-record')).filter({ hasText: 'Contact: Ada Lovelace' }).waitFor();
    await card.locator(tid('answer')).click();
    await callCard(page, adaCall).and(page.locator('[data-state="connected"]')).waitFor();
    await page.waitForFunction(() => window.openCtiStandIn.calls.some((c) => c.method === 'setSoftphoneItemLabel' && c.args.label === 'On a call'));
    assert.deepEqual((await labels()).slice(-2), ['Ringing: Ada Lovelace', 'On a call']);

    const pops = await openCtiCalls(page, 'searchAndScreenPop');
    assert.equal(pops.length, 1, JSON.stringify(pops));
    assert.equal(pops[0].args.searchParams, ADA.number);
    assert.equal(pops[0].args.callType, 'inbound');
    // Searched without Salesforce popping by itself: the panel pops as the layout says.
    assert.equal(pops[0].args.deferred, true);
    assert.equal(new URLSearchParams(pops[0].args.queryParams).get('CallObject'), adaCall);
    await page.waitForFunction(() => window.openCtiStandIn.calls.some((c) => c.method === 'screenPop'));
    assert.deepEqual((await openCtiCalls(page, 'screenPop')).map((c) => c.args),
      [{ type: 'sobject', params: { recordId: ADA_CONTACT.Id } }]);
    assert.equal((await openCtiCalls(page, 'getSoftphoneLayout')).length, 1);
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
      TaskSubtype: 'Call',
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
    // The record on screen is refreshed after the Task exists, so its activity shows it.
    const methods = (await openCtiCalls(page)).map((c) => c.method);
    assert.ok(methods.lastIndexOf('refreshView') > methods.lastIndexOf('saveLog'), methods.join(','));
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

  test('several records hold the number: the panel lists them, the chosen one opens and its Task links it', async () => {
    const callId = await ring(SHARED);
    const card = callCard(page, callId);
    await card.locator(tid('call-record')).filter({ hasText: '2 matching records in Salesforce: choose one' }).waitFor();
    const choices = card.locator(tid('match'));
    assert.deepEqual(await choices.allTextContents(), ['Account: Acme Corp', 'Contact: Grace Hopper']);
    assert.equal((await openCtiCalls(page, 'screenPop')).some((c) => c.args.params?.recordId?.endsWith('300AAA')), false,
      'nothing opens before the agent chooses');
    await choices.filter({ hasText: 'Contact: Grace Hopper' }).click();
    await card.locator(tid('call-record')).filter({ hasText: 'Contact: Grace Hopper' }).waitFor();
    await card.locator(tid('matches')).waitFor({ state: 'hidden' });
    const pops = await openCtiCalls(page, 'screenPop');
    assert.deepEqual(pops.at(-1).args, { type: 'sobject', params: { recordId: SHARED_RECORDS[1].Id } });

    await card.locator(tid('decline')).click();
    await wrapUp(page, callId).locator(tid('save-log')).click();
    await wrapUp(page, callId).waitFor({ state: 'detached' });
    const [saved] = await saveLogsOf(page, callId);
    assert.equal(saved.args.value.WhoId, SHARED_RECORDS[1].Id);
  });

  test('no record holds the number: a new Contact opens with the caller\'s number, as the layout says', async () => {
    const callId = await ring(STRANGER);
    await callCard(page, callId).waitFor();
    await page.waitForFunction((number) => window.openCtiStandIn.calls.some((c) => c.method === 'screenPop'
      && c.args.defaultFieldValues?.Phone === number), STRANGER.number);
    const pop = (await openCtiCalls(page, 'screenPop')).find((c) => c.args.defaultFieldValues?.Phone === STRANGER.number);
    assert.deepEqual(pop.args, { type: 'newRecord', params: { entityName: 'Contact' }, defaultFieldValues: { Phone: STRANGER.number } });
    await callCard(page, callId).locator(tid('decline')).click();
    await wrapUp(page, callId).locator(tid('save-log')).click();
    await wrapUp(page, callId).waitFor({ state: 'detached' });
  });

  test('the agent links a call to the record on screen', async () => {
    const callId = await ring({ number: '+14155550500', name: 'Mary Jackson' });
    const card = callCard(page, callId);
    await card.waitFor();
    assert.equal(await card.locator(tid('link-on-screen')).isHidden(), true, 'the home page has no record');
    await page.evaluate(() => window.openCtiStandIn.navigate({
      url: 'https://mydomain.lightning.force.com/lightning/r/Case/500000000000001AAA/view',
      recordId: '500000000000001AAA', recordName: '00001026', objectType: 'Case',
    }));
    const link = card.locator(tid('link-on-screen'));
    await link.filter({ hasText: 'Link this call to Case: 00001026' }).waitFor();
    await link.click();
    await card.locator(tid('call-record')).filter({ hasText: 'Case: 00001026' }).waitFor();
    await link.waitFor({ state: 'hidden' });
    await card.locator(tid('decline')).click();
    await wrapUp(page, callId).locator(tid('save-log')).click();
    await wrapUp(page, callId).waitFor({ state: 'detached' });
    const [saved] = await saveLogsOf(page, callId);
    assert.equal(saved.args.value.WhatId, '500000000000001AAA');
    await page.evaluate(() => window.openCtiStandIn.navigate({ url: 'https://mydomain.lightning.force.com/lightning/page/home' }));
  });

  test('the agent\'s controls: status with the adapter\'s reasons, tones and a transfer, as the driver advertises', async () => {
    const select = page.locator(tid('agent-select'));
    await page.locator(`${tid('agent-select')}:not([disabled])`).waitFor();
    // What the agent can choose (wrap-up is the adapter's to set; the state it started in, not
    // ready without a reason, is shown but not offered).
    assert.deepEqual(await select.locator('option:not([disabled])').allTextContents(),
      ['Ready', 'Not ready – Break', 'Not ready – Lunch', 'Not ready – Meeting', 'Not ready – Training']);
    assert.equal(await select.locator('option[value="wrap_up"]').isDisabled(), true);
    await select.selectOption('not_ready:Lunch');
    await page.locator(`${tid('agent-state')}[data-state="not_ready"]`).waitFor();
    await journal.waitForFunction(() => window.journal.client.agent?.reason === 'Lunch');
    await select.selectOption('ready');
    await page.locator(`${tid('agent-state')}[data-state="ready"]`).waitFor();

    const callId = await ring({ number: '+14155550600', name: 'Dorothy Vaughan' });
    const card = callCard(page, callId);
    await card.locator(tid('answer')).click();
    await card.and(page.locator('[data-state="connected"]')).waitFor();
    // Tones: the keypad opens from the card; each key sends its digit.
    await card.locator(tid('dtmf')).click();
    await card.locator(tid('keypad')).waitFor();
    await card.locator(tid('tone-5')).click();
    await card.locator(tid('tone-#')).click();
    // Transfer: a number field; the simulator's blind transfer ends the call here.
    await card.locator(tid('transfer')).click();
    await card.locator(tid('transfer-input')).fill('+14155550601');
    await card.locator(tid('transfer-go')).click();
    await card.waitFor({ state: 'detached' });
    assert.equal(await page.locator(tid('error')).isHidden(), true, await page.locator(tid('error')).textContent());
    const ended = await journalRecord(callId);
    assert.equal(ended.end_reason, 'normal');
    await wrapUp(page, callId).locator(tid('save-log')).click();
    await wrapUp(page, callId).waitFor({ state: 'detached' });
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
      // Nothing to dial with: Salesforce's click-to-dial stays off, and the utility bar says so.
      const methods = (await openCtiCalls(p)).map((c) => c.method);
      assert.equal(methods.includes('enableClickToDial'), false, methods.join(','));
      await p.waitForFunction(() => window.openCtiStandIn.calls.some((c) => c.method === 'setSoftphoneItemLabel' && c.args.label === 'Phone offline'));
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

  test('click-to-dial goes off while the adapter is gone and on again when it is back', async () => {
    const count = async (m) => (await openCtiCalls(page, m)).length;
    const enabledBefore = await count('enableClickToDial');
    const port = adapter.port;
    await adapter.stop();
    await page.locator(`${tid('connection-status')}[data-state="disconnected"]`).waitFor();
    await page.waitForFunction(() => window.openCtiStandIn.calls.some((c) => c.method === 'disableClickToDial'));
    assert.equal(await count('disableClickToDial'), 1);
    adapter = await startAdapter(ADAPTER_BIN, { configPath, port });
    await page.locator(`${tid('connection-status')}[data-state="connected"]`).waitFor();
    await page.waitForFunction((n) => window.openCtiStandIn.calls.filter((c) => c.method === 'enableClickToDial').length > n, enabledBefore);
    assert.equal(await count('disableClickToDial'), 1);
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

  test('the static resource holds the page, its scripts and cti.js with its modules', async () => {
    const { stdout } = await run('zip', ['-sf', join(out, 'CtiSoftphone.zip')]);
    const client = await ctiClientFiles();
    const inClient = [...client.keys()].map((path) => path.slice(1));
    for (const file of ['softphone.html', 'softphone.css', 'softphone.js', 'salesforce_bridge.js', 'task_fields.js', ...inClient]) {
      assert.match(stdout, new RegExp(`^\\s*${file.replace(/\./g, '\\.')}$`, 'm'), `${file} in the zip:\n${stdout}`);
    }
    for (const [path, body] of client) {
      assert.equal(await readFile(join(out, 'CtiSoftphone', path), 'utf8'), body.toString('utf8'), `${path} as in adapter/web`);
    }
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

  test('the metadata follows the Metadata API formats: every member is there, and nothing else', async () => {
    const xpath = async (file, path) => (await run('xmllint', ['--xpath', path, join(out, file)])).stdout.trim();
    const ns = 'http://soap.sforce.com/2006/04/metadata';
    const el = (name) => `*[local-name()='${name}' and namespace-uri()='${ns}']`;
    const version = await xpath('metadata/package.xml', `string(/${el('Package')}/${el('version')})`);
    assert.match(version, /^\d+\.0$/);
    const members = async (type) => (await xpath('metadata/package.xml',
      `/${el('Package')}/${el('types')}[${el('name')}='${type}']/${el('members')}/text()`)).split('\n').map((m) => m.trim());
    const pages = await members('ApexPage');
    assert.deepEqual(pages, ['CtiSoftphone', 'CtiSoftphoneStandby']);
    assert.deepEqual(await members('StaticResource'), ['CtiSoftphone']);
    const { readdir } = await import('node:fs/promises');
    assert.deepEqual((await readdir(join(out, 'metadata', 'pages'))).sort(),
      pages.flatMap((p) => [`${p}.page`, `${p}.page-meta.xml`]).sort());
    assert.deepEqual((await readdir(join(out, 'metadata', 'staticresources'))).sort(),
      ['CtiSoftphone.resource', 'CtiSoftphone.resource-meta.xml']);
    for (const pageName of pages) {
      const meta = `metadata/pages/${pageName}.page-meta.xml`;
      assert.equal(await xpath(meta, `string(/${el('ApexPage')}/${el('apiVersion')})`), version);
      assert.equal(await xpath(meta, `string(/${el('ApexPage')}/${el('label')})`), pageName);
      const page = await readFile(join(out, 'metadata', 'pages', `${pageName}.page`), 'utf8');
      assert.match(page, /^<apex:page [^>]*>/);
      await run('xmllint', ['--noout', join(out, 'metadata', 'pages', `${pageName}.page`)]);
    }
    // The standby page says what went wrong, with the styles of the static resource.
    const standby = await readFile(join(out, 'metadata', 'pages', 'CtiSoftphoneStandby.page'), 'utf8');
    assert.match(standby, /The phone panel did not start/);
    assert.match(standby, /href="\{!URLFOR\(\$Resource\.CtiSoftphone, 'softphone\.css'\)\}"/);
    const resource = 'metadata/staticresources/CtiSoftphone.resource-meta.xml';
    assert.equal(await xpath(resource, `string(/${el('StaticResource')}/${el('contentType')})`), 'application/zip');
    assert.match(await xpath(resource, `string(/${el('StaticResource')}/${el('cacheControl')})`), /^(Private|Public)$/);
    // The resource is the zip itself, byte for byte.
    assert.deepEqual(await readFile(join(out, 'metadata', 'staticresources', 'CtiSoftphone.resource')),
      await readFile(join(out, 'CtiSoftphone.zip')));
  });

  test('the call center definition has every item Lightning Open CTI requires', async () => {
    const file = join(out, 'call-center.xml');
    await run('xmllint', ['--noout', file]);
    const xml = await readFile(file, 'utf8');
    const item = (name) => new RegExp(`<item sortOrder="\\d+" name="${name}" label="[^"]+">([^<]*)</item>`).exec(xml)?.[1];
    assert.match(item('reqInternalName'), /^[A-Za-z][A-Za-z0-9]{0,39}$/);
    assert.ok(item('reqDisplayName'));
    // Absolute https, on the org's Visualforce domain: a relative URL fails as a cross-origin frame.
    assert.equal(item('reqAdapterUrl'), 'https://mydomain--c.vf.force.com/apex/CtiSoftphone');
    assert.equal(item('reqStandbyUrl'), 'https://mydomain--c.vf.force.com/apex/CtiSoftphoneStandby');
    assert.match(item('reqTimeout'), /^\d+$/);
    assert.equal(item('reqUseApi'), 'true');
    assert.match(item('reqSoftphoneHeight'), /^\d+$/);
    assert.match(item('reqSoftphoneWidth'), /^\d+$/);
    assert.equal(item('reqSalesforceCompatibilityMode'), 'Lightning');
    assert.equal(item('ports'), '11000,11001,11002,11003');
    assert.match(xml, /<section sortOrder="0" name="reqGeneralInfo" label="[^"]+">/);
    assert.match(xml, /<section sortOrder="1" name="ctiAdapter" label="[^"]+">/);
  });
});
