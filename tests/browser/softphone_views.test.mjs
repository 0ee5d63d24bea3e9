// Unit tests of the softphone page's parts (adapter/web/softphone/), without an adapter:
//
//  1. format.js in Node: the party on the other end, durations, times and labels.
//  2. Each view in headless Chromium over its own root element of the real index.html (served
//     without app.js), driven through its hooks by a stand-in for the client.
//  3. CTI_WEB_FILES (adapter/CMakeLists.txt) embeds every module of cti/ and softphone/.
//
// Run:  cd tests/browser && npm ci && node --test softphone_views.test.mjs
// Chromium: /usr/bin/chromium (Debian's package), or $CHROMIUM_BIN.

import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  callDuration, directionLabel, fieldLabel, fieldText, formatClock, formatDuration, formatSeconds,
  logParty, otherParty, remoteParty,
} from '../../adapter/web/softphone/format.js';

const WEB_DIR = fileURLToPath(new URL('../../adapter/web/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];

// =============================================================================================
// 1. format.js
// =============================================================================================

describe('softphone/format.js', () => {
  test('durations as m:ss or h:mm:ss', () => {
    assert.equal(formatSeconds(0), '0:00');
    assert.equal(formatSeconds(65.9), '1:05');
    assert.equal(formatSeconds(3600 + 2 * 60 + 3), '1:02:03');
    assert.equal(formatSeconds(-5), '0:00');
    assert.equal(formatSeconds('x'), '0:00');
    const start = '2026-11-21T09:00:00.000Z';
    assert.equal(formatDuration(start, Date.parse('2026-11-21T09:01:30.900Z')), '1:30');
    assert.equal(formatDuration('not a time'), '0:00');
    assert.equal(formatDuration(start, Date.parse(start) - 1000), '0:00');
    // Talk time once answered, else the time since it started.
    const now = Date.parse('2026-11-21T09:10:00.000Z');
    assert.equal(callDuration({ started_at: start, answered_at: '2026-11-21T09:09:00.000Z' }, now), '1:00');
    assert.equal(callDuration({ started_at: start, answered_at: null }, now), '10:00');
  });

  test('the party on the other end', () => {
    const from = { number: '+14155550123', name: 'Ada' };
    const to = { number: '1001', name: '' };
    assert.deepEqual(otherParty({ direction: 'inbound', from, to }), from);
    assert.deepEqual(otherParty({ direction: 'outbound', from, to }), { number: '1001', name: '' });
    assert.deepEqual(otherParty({ direction: 'internal', from: null, to }), { number: '', name: '' });
    assert.deepEqual(logParty({ call_type: 'outbound', from, to }), { number: '1001', name: '' });
    assert.deepEqual(logParty({ call_type: 'inbound', from, to }), from);
    assert.equal(remoteParty({ call_type: 'inbound', caller: { number: '+1', name: '' } }), '+1');
    assert.equal(remoteParty({ call_type: 'outbound', called: { number: '+2', name: 'Bo' } }), 'Bo');
    assert.equal(remoteParty({ call_type: 'inbound' }), 'Unknown caller');
  });

  test('labels and times', () => {
    assert.equal(directionLabel('inbound'), 'Inbound');
    assert.equal(directionLabel('sideways'), 'sideways');
    assert.equal(fieldLabel('from_number'), 'From');
    assert.equal(fieldLabel('contact.account_owner'), 'Account owner');
    assert.equal(fieldText('call_type', 'outbound'), 'Outbound');
    assert.equal(fieldText('started_at', '2026-11-21T09:14:03Z'), formatClock('2026-11-21T09:14:03Z'));
    assert.equal(fieldText('contact.city', 'Oslo'), 'Oslo');
    assert.match(formatClock('2026-11-21T09:14:03Z'), /\d/);
    assert.equal(formatClock('never'), '');
  });
});

// =============================================================================================
// 2. The views in Chromium
// =============================================================================================

const CONTENT_TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** adapter/web as the adapter serves it, and /views.html: index.html without app.js. */
async function startWebServer() {
  const index = await readFile(join(WEB_DIR, 'index.html'), 'utf8');
  const views = index.replace('<script type="module" src="app.js"></script>', `<script type="module">
    const names = ['access_notice', 'active_calls', 'agent_state', 'connection', 'dial', 'error', 'history',
      'incoming_calls', 'pairing_notice', 'recent_calls', 'screen_pop', 'wrap_up'];
    const modules = await Promise.all(names.map((name) => import(\`./softphone/\${name}_view.js\`)));
    window.views = Object.assign({}, ...modules);
    window.part = (id) => document.querySelector(\`[data-testid="\${id}"]\`);
  </script>`);
  assert.notEqual(views, index, 'index.html no longer loads app.js as it did');
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const file = normalize(join(WEB_DIR, path));
    if (path === '/views.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(views);
    } else if (file.startsWith(WEB_DIR) && existsSync(file) && extname(file) in CONTENT_TYPES) {
      res.writeHead(200, { 'content-type': `${CONTENT_TYPES[extname(file)]}; charset=utf-8` });
      res.end(await readFile(file));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

/** A ringing, connected or held call. */
const CALL = (id, state, extra = {}) => ({
  id, state, direction: 'inbound', from: { number: '+14155550123', name: 'Ada Lovelace' },
  to: { number: '1001', name: '' }, started_at: new Date().toISOString(),
  answered_at: state === 'ringing' ? null : new Date().toISOString(), ...extra,
});

describe('softphone views in headless Chromium', () => {
  let server;
  let browser;
  let page;

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium package (or set CHROMIUM_BIN)`);
    server = await startWebServer();
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) server.close();
  });

  beforeEach(async () => {
    if (page) await page.close();
    page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.errors = errors;
    await page.goto(`http://127.0.0.1:${server.address().port}/views.html`);
    await page.waitForFunction(() => window.views);
  });

  test('ErrorView runs a command for a button and shows its failure until dismissed', async () => {
    const seen = await page.evaluate(async () => {
      const errors = new views.ErrorView(part('error-message'));
      const button = part('dial');
      let busy = null;
      const ok = await errors.run('Hold', button, async () => { busy = button.disabled; return { done: true }; });
      const failed = await errors.run('Hold', button, async () => { throw Object.assign(new Error('no call'), { code: 'no_such_call' }); });
      const shown = {
        hidden: part('error-message').hidden, code: part('error-message').dataset.code,
        text: [part('error-action').textContent, part('error-code').textContent, part('error-text').textContent],
      };
      part('error-dismiss').click();
      return { ok, failed, busy, enabledAfter: !button.disabled, shown, hiddenAfter: part('error-message').hidden };
    });
    assert.deepEqual(seen, {
      ok: { done: true }, failed: undefined, busy: true, enabledAfter: true,
      shown: { hidden: false, code: 'no_such_call', text: ['Hold failed', 'no_such_call', 'no call'] },
      hiddenAfter: true,
    });
  });

  test('ConnectionView shows the port, the retry and the phone system', async () => {
    const seen = await page.evaluate(() => {
      const view = new views.ConnectionView(part('status-header'));
      const out = [];
      const read = () => [part('connection-status').dataset.state, part('connection-text').textContent, part('connection-port').textContent];
      view.showConnection({ state: 'connected', port: 11001 });
      out.push(read());
      view.showConnection({ state: 'disconnected', retryInMs: 2400 });
      out.push(read());
      view.showConnection({ state: 'connecting', port: null });
      out.push(read());
      view.showDriver({ name: 'sip', status: 'disconnected', detail: 'registrar unreachable' });
      out.push([part('driver-name').textContent, part('driver-status').dataset.status, part('driver-detail').hidden]);
      view.showDriver({ name: '', status: '', detail: '' });
      out.push([part('driver-name').textContent, part('driver-status').textContent, part('driver-detail').hidden]);
      return out;
    });
    assert.deepEqual(seen, [
      ['connected', 'Connected', 'port 11001'],
      ['disconnected', 'Disconnected', 'retrying in 2 s'],
      ['connecting', 'Connecting…', ''],
      ['sip', 'disconnected', false],
      ['–', 'unknown', true],
    ]);
  });

  test('AccessNoticeView and PairingNoticeView say what blocks the page and what to do', async () => {
    const seen = await page.evaluate(() => {
      const calls = [];
      const access = new views.AccessNoticeView(part('access-notice'), { onAllow: () => calls.push('allow') });
      const pairing = new views.PairingNoticeView(part('pairing-notice'), { onRetry: () => calls.push('retry') });
      const out = [];
      const readAccess = () => [part('access-notice').hidden, part('access-notice').dataset.reason, part('access-blocked').hidden, part('access-remedy').textContent];
      access.showConnection({ state: 'disconnected', reason: 'blocked', remedy: 'Allow it' });
      out.push(readAccess());
      access.showConnection({ state: 'connecting' }); // retrying: the notice stays
      out.push(readAccess());
      part('access-allow').click();
      access.showConnection({ state: 'disconnected', reason: 'no_adapter', remedy: 'Start it' });
      out.push(readAccess());
      access.showConnection({ state: 'connected', port: 11000 });
      out.push(readAccess());
      pairing.show({ state: 'waiting', code: '123456', approveAt: 'http://127.0.0.1:11000/pair' });
      out.push([part('pairing-notice').hidden, part('pairing-code').textContent, part('pairing-link').href, part('pairing-failed').hidden]);
      pairing.show({ state: 'failed', reason: 'denied' });
      part('pairing-retry').click();
      out.push([part('pairing-waiting').hidden, part('pairing-reason').textContent]);
      pairing.show({ state: 'paired' });
      out.push([part('pairing-notice').hidden]);
      return { out, calls };
    });
    assert.deepEqual(seen.out, [
      [false, 'blocked', false, 'Allow it'],
      [false, 'blocked', false, 'Allow it'],
      [false, 'no_adapter', true, 'Start it'],
      [true, '', true, ''],
      [false, '123456', 'http://127.0.0.1:11000/pair', true],
      [true, 'denied'],
      [true],
    ]);
    assert.deepEqual(seen.calls, ['allow', 'retry']);
  });

  test('AgentStateView offers the reasons, keeps one it does not offer, and counts wrap-up down', async () => {
    const seen = await page.evaluate(async () => {
      const changes = [];
      const view = new views.AgentStateView(part('agent-state'), {
        onChange: async (state, reason) => { changes.push([state, reason]); },
      });
      const select = part('agent-select');
      const options = () => [...select.options].map((o) => `${o.value}${o.disabled ? '!' : ''}`);
      view.setReasons(['Lunch', 'Meeting: team']);
      view.render({ state: 'ready' }, false);
      const offline = [select.value, select.disabled];
      view.render({ state: 'not_ready', reason: 'Gone' }, true);
      const unknownReason = [select.value, options(), part('agent-state').dataset.reason];
      select.value = 'not_ready:Meeting: team';
      select.dispatchEvent(new Event('change'));
      await new Promise((resolve) => setTimeout(resolve, 0));
      const ends = Date.now() + 65000;
      view.render({ state: 'wrap_up', wrap_up_ends_at: new Date(ends).toISOString() }, true);
      view.tick(ends - 61500);
      const countdown = [part('agent-countdown').hidden, part('agent-countdown').textContent];
      view.render({ state: 'ready' }, true);
      return { offline, unknownReason, changes, countdown, afterChange: select.value, hidden: part('agent-countdown').hidden };
    });
    assert.deepEqual(seen.offline, ['ready', true]);
    assert.deepEqual(seen.unknownReason, ['not_ready:Gone',
      ['ready', 'not_ready:Lunch', 'not_ready:Meeting: team', 'wrap_up!', 'not_ready:Gone!'], 'Gone']);
    assert.deepEqual(seen.changes, [['not_ready', 'Meeting: team']]);
    assert.deepEqual(seen.countdown, [false, '1:02 left']);
    assert.equal(seen.hidden, true);
  });

  test('ScreenPopView keeps the newest pops, one per call, and opens them by itself when asked', async () => {
    const seen = await page.evaluate(() => {
      const opened = [];
      const stored = new Map([['cti-adapter.autoOpenPops', 'true']]);
      const storage = { getItem: (k) => stored.get(k) ?? null, setItem: (k, v) => stored.set(k, v) };
      const view = new views.ScreenPopView(part('screen-pops'), { storage, open: (url) => opened.push(url) });
      const pop = (id, extra = {}) => ({
        call_id: id, call_type: 'inbound', match: 'single', caller: { number: '+1', name: '' },
        matches: [{ id: 'c1', name: 'Ada', fields: { city: 'London' } }],
        fields: [{ key: 'from_number', value: '+1' }, { key: 'empty', value: '' }],
        pop: { kind: 'record', url: `https://crm.example/${id}` }, ...extra,
      });
      for (const id of ['a', 'b', 'c', 'd']) view.show(pop(id));
      view.show(pop('c', { match: 'none', matches: [], pop: { kind: 'none', url: null } }));
      view.show(pop('e', { replayed: true }));
      const cards = [...part('screen-pop-list').children].map((card) => `${card.dataset.callId}:${card.dataset.match}`);
      const first = part('screen-pop-list').children[1];
      part('pop-auto-open').click();
      return {
        cards, opened, empty: part('no-screen-pop').hidden, stored: stored.get('cti-adapter.autoOpenPops'),
        unknown: first.querySelector('[data-testid="pop-unknown"]').textContent,
        fields: document.querySelectorAll('[data-testid="screen-pop"]:first-child [data-testid="pop-field"]').length,
      };
    });
    assert.deepEqual(seen.cards, ['e:single', 'c:none', 'd:single']);
    // 'c' again had nothing to open; 'e' came from a snapshot and was opened when it first came.
    assert.deepEqual(seen.opened, ['https://crm.example/a', 'https://crm.example/b', 'https://crm.example/c', 'https://crm.example/d']);
    assert.equal(seen.empty, true);
    assert.equal(seen.stored, 'false');
    assert.equal(seen.unknown, '+1');
    assert.equal(seen.fields, 1, 'an empty field is left out');
  });

  test('IncomingCallsView keeps a card per ringing call, with the controls the phone allows', async () => {
    const seen = await page.evaluate(async (calls) => {
      const sent = [];
      let allowed = true;
      const phone = {
        can: () => allowed, getCall: (id) => calls.find((c) => c.id === id),
        answer: async (id) => sent.push(`answer ${id}`), decline: async (id) => sent.push(`decline ${id}`),
      };
      const view = new views.IncomingCallsView(part('incoming-calls'), { phone, run: (action, button, command) => command() });
      view.render(calls);
      const card = document.querySelector('[data-call-id="r1"]');
      card.querySelector('[data-testid="answer"]').click();
      document.querySelector('[data-call-id="r2"] [data-testid="decline"]').click();
      allowed = false;
      view.render([calls[0]]);
      view.tick();
      return {
        sent, same: card === document.querySelector('[data-call-id="r1"]'),
        count: part('incoming-calls').children.length,
        label: card.getAttribute('aria-label'), kind: card.querySelector('.incoming-kind').textContent,
        answerHidden: card.querySelector('[data-testid="answer"]').hidden,
        phoneOnly: card.querySelector('[data-testid="phone-only"]').textContent,
        timer: card.querySelector('[data-testid="ring-duration"]').textContent,
      };
    }, [CALL('r1', 'ringing'), CALL('r2', 'ringing', { direction: 'internal', from: { number: '2002', name: '' } })]);
    assert.deepEqual(seen, {
      sent: ['answer r1', 'decline r2'], same: true, count: 1,
      label: 'Incoming call from Ada Lovelace', kind: 'Incoming call', answerHidden: true,
      phoneOnly: 'answer on your phone', timer: '0:00',
    });
  });

  test('ActiveCallsView: hold or resume, transfer, tones, and what only the phone can do', async () => {
    const seen = await page.evaluate(async (calls) => {
      const sent = [];
      let fail = false;
      const phone = {
        can: (action, call) => !(action === 'hangup' && call.id === 'h1'),
        getCall: (id) => calls.find((c) => c.id === id),
        hold: async (id) => sent.push(`hold ${id}`), resume: async (id) => sent.push(`resume ${id}`),
        hangup: async (id) => sent.push(`hangup ${id}`), dtmf: async (id, key) => sent.push(`dtmf ${id} ${key}`),
        transfer: async (id, to) => { if (fail) throw new Error('busy'); sent.push(`transfer ${id} ${to}`); },
      };
      const run = (action, button, command) => command().then((data) => data ?? {}, () => undefined);
      const view = new views.ActiveCallsView(part('calls-panel'), { phone, run });
      view.render(calls);
      const card = (id) => document.querySelector(`[data-testid="active-call"][data-call-id="${id}"]`);
      const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
      card('c1').querySelector('[data-testid="hold"]').click();
      card('h1').querySelector('[data-testid="resume"]').click();
      card('c1').querySelector('[data-testid="dtmf-5"]').click();
      await settle();
      const input = card('c1').querySelector('[data-testid="transfer-to"]');
      input.value = ' 2002 ';
      card('c1').querySelector('[data-testid="transfer"]').click();
      await settle();
      const cleared = input.value;
      fail = true;
      input.value = '2003';
      card('c1').querySelector('[data-testid="transfer"]').click();
      await settle();
      const kept = input.value;
      const h1 = card('h1');
      const out = {
        sent, cleared, kept, sentTones: card('c1').querySelector('[data-testid="dtmf-sent"]').textContent,
        heldLabel: h1.getAttribute('aria-label'), heldHangup: h1.querySelector('[data-testid="hangup"]').hidden,
        heldPhoneOnly: h1.querySelector('[data-testid="phone-only"]').textContent,
        empty: part('no-active-calls').hidden,
      };
      view.render([]);
      out.emptyAfter = part('no-active-calls').hidden;
      out.left = part('active-calls').children.length;
      return out;
    }, [CALL('c1', 'connected'), CALL('h1', 'held', { from: { number: '+442071234567', name: '' } })]);
    assert.deepEqual(seen, {
      sent: ['hold c1', 'resume h1', 'dtmf c1 5', 'transfer c1 2002'], cleared: '', kept: '2003', sentTones: '5',
      heldLabel: 'On hold call with +442071234567', heldHangup: true, heldPhoneOnly: 'hang up on your phone',
      empty: true, emptyAfter: false, left: 0,
    });
  });

  test('DialView: the pad, the Dial button, and why a dial did not go through', async () => {
    const seen = await page.evaluate(async () => {
      const dialled = [];
      let result = {};
      const view = new views.DialView(part('dial-panel'), { onDial: async (number) => { dialled.push(number); return result; } });
      const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
      for (const key of ['1', '2', '3']) part(`dialpad-${key}`).click();
      part('dialpad-backspace').click();
      part('dialpad-#').click();
      const typed = part('dial-input').value;
      part('dial').click();
      await settle();
      const cleared = part('dial-input').value;
      result = undefined; // failed: the number stays for another try
      part('dial-input').value = '+14155550166';
      part('dial').click();
      await settle();
      const kept = part('dial-input').value;
      const outbound = { direction: 'outbound', answered_at: null, to: { number: '+14155550166', name: '' } };
      view.showEnded(outbound, 'busy', '486 Busy Here');
      const outcome = [part('dial-outcome').hidden, part('dial-outcome').textContent, part('dial-outcome').dataset.reason];
      view.showEnded({ ...outbound, answered_at: '2026-11-21T09:00:00Z' }, 'normal', '');
      view.setCanDial(false);
      return { dialled, typed, cleared, kept, outcome, still: part('dial-outcome').textContent,
        button: [part('dial').disabled, part('dial').textContent, part('dial-form').dataset.canDial] };
    });
    assert.deepEqual(seen, {
      dialled: ['12#', '+14155550166'], typed: '12#', cleared: '', kept: '+14155550166',
      outcome: [false, '+14155550166 is busy (486 Busy Here)', 'busy'],
      still: '+14155550166 is busy (486 Busy Here)',
      button: [true, 'Dial on your phone', 'false'],
    });
  });

  test('RecentCallsView lists the last five ended calls, newest first, with a call-back button', async () => {
    const seen = await page.evaluate(() => {
      const back = [];
      const view = new views.RecentCallsView(part('recent-panel'), { onCallBack: (number) => back.push(number) });
      const emptyBefore = part('no-recent-calls').hidden;
      for (let i = 1; i <= 6; i++) {
        view.add({
          id: `k${i}`, direction: 'inbound', from: { number: `+1${i}`, name: i === 6 ? 'Grace' : '' }, to: { number: '1001' },
          started_at: '2026-11-21T09:00:00Z', answered_at: '2026-11-21T09:00:05Z', ended_at: '2026-11-21T09:01:10Z',
        }, i === 6 ? 'rejected' : 'normal', i === 6 ? '603 Decline' : '');
      }
      document.querySelector('[data-testid="recent-callback"]').click();
      const first = part('recent-calls').firstElementChild;
      return {
        emptyBefore, ids: [...part('recent-calls').children].map((li) => li.dataset.callId), back,
        party: first.querySelector('[data-testid="recent-party"]').textContent,
        number: first.querySelector('[data-testid="recent-number"]').textContent,
        detail: first.querySelector('[data-testid="recent-detail"]').textContent,
        when: first.querySelector('.recent-when').textContent,
      };
    });
    assert.equal(seen.emptyBefore, false);
    assert.deepEqual(seen.ids, ['k6', 'k5', 'k4', 'k3', 'k2']);
    assert.deepEqual(seen.back, ['+16']);
    assert.deepEqual([seen.party, seen.number, seen.detail], ['Grace', '+16', '603 Decline']);
    assert.match(seen.when, / · 1:05$/);
  });

  test('WrapUpView: newest first, the older ones folded, saved with the disposition and notes', async () => {
    const seen = await page.evaluate(async () => {
      const saved = [];
      const view = new views.WrapUpView(part('wrap-up-panel'), ['Resolved', 'Other'], {
        onSave: async (logId, fields) => { saved.push([logId, fields]); },
      });
      const log = (id, extra = {}) => ({
        log_id: id, call_type: 'inbound', from: { number: '+14155550123', name: 'Ada' }, to: { number: '1001' },
        started_at: '2026-11-21T09:00:00Z', ended_at: '2026-11-21T09:02:05Z', duration_s: 125, end_reason: 'normal', ...extra,
      });
      const cards = () => [...part('pending-logs').children].map((c) => `${c.dataset.logId}${c.hidden ? '-' : ''}`);
      view.render([log('l1'), log('l2', { journaled: false })]);
      const folded = [cards(), part('pending-more').textContent, part('pending-count').textContent];
      const newest = part('pending-logs').firstElementChild;
      part('pending-more').click();
      const expanded = [cards(), part('pending-more').textContent];
      newest.querySelector('[data-testid="log-disposition"]').value = 'Other';
      newest.querySelector('[data-testid="log-notes"]').value = '  called back  ';
      newest.querySelector('[data-testid="log-save"]').click();
      await new Promise((resolve) => setTimeout(resolve, 0));
      const older = part('pending-logs').lastElementChild;
      older.querySelector('[data-testid="log-save"]').click();
      await new Promise((resolve) => setTimeout(resolve, 0));
      view.render([log('l1'), log('l2'), log('l3')]);
      const kept = part('pending-logs').children[1] === newest;
      view.render([]);
      return {
        folded, expanded, saved, kept, warning: !!newest.querySelector('[data-testid="log-not-journaled"]'),
        duration: newest.querySelector('[data-testid="log-duration"]').textContent,
        empty: [part('no-pending-logs').hidden, part('pending-count').hidden, part('pending-more').hidden],
      };
    });
    assert.deepEqual(seen.folded, [['l2', 'l1-'], '1 more to wrap up', '2']);
    assert.deepEqual(seen.expanded, [['l2', 'l1'], 'Show only the newest']);
    assert.deepEqual(seen.saved, [['l2', { disposition: 'Other', notes: 'called back' }], ['l1', { disposition: 'Resolved', notes: undefined }]]);
    assert.equal(seen.kept, true, 'a card stays the same node when others come');
    assert.equal(seen.warning, true);
    assert.equal(seen.duration, '2:05');
    assert.deepEqual(seen.empty, [false, true, true]);
  });

  test('HistoryView pages through the call logs and follows the call-log events', async () => {
    const seen = await page.evaluate(async () => {
      const asked = [];
      const errors = [];
      const log = (n, extra = {}) => ({
        log_id: `h${n}`, cursor: n, call_type: 'outbound', from: { number: '1001' }, to: { number: `+1${n}`, name: '' },
        started_at: '2026-11-21T09:00:00Z', ended_at: '2026-11-21T09:01:00Z', duration_s: 60, acknowledged: false, ...extra,
      });
      const pages = { first: { logs: [log(5), log(4)], next: 4 }, 4: { logs: [log(3)], next: null } };
      let failWith = null;
      const view = new views.HistoryView(part('history-panel'), {
        loadPage: async (options) => {
          asked.push(options);
          if (failWith) throw failWith;
          return pages[options.before ?? 'first'];
        },
        onError: (err) => errors.push(err.code),
        onMore: () => errors.push('cleared'),
      });
      const ids = () => [...part('history').children].map((li) => li.dataset.logId);
      const before = [part('no-history').hidden, part('history-more').hidden];
      view.addLog(log(9)); // not loaded yet: comes with its page
      await view.load(true);
      const first = [ids(), part('history-more').hidden];
      part('history-more').click();
      await new Promise((resolve) => setTimeout(resolve, 0));
      const second = [ids(), part('history-more').hidden];
      view.addLog(log(6));
      view.addLog(log(7, { journaled: false }));
      view.updateLog(log(4, { acknowledged: true, disposition: 'Resolved', notes: 'ok' }));
      view.updateLog(log(8, { acknowledged: true }));
      const item = document.querySelector('[data-log-id="h4"]');
      failWith = Object.assign(new Error('gone'), { code: 'not_connected' });
      await view.load(true); // a reload that finds the connection gone again says nothing
      failWith = Object.assign(new Error('slow'), { code: 'timeout' });
      await view.load(true);
      return {
        before, first, second, after: ids(), asked, errors,
        saved: [item.dataset.acknowledged, item.querySelector('[data-testid="history-disposition"]').textContent,
          item.querySelector('[data-testid="history-notes"]').textContent],
        state: part('history').dataset.state,
      };
    });
    assert.deepEqual(seen.before, [true, true]);
    assert.deepEqual(seen.first, [['h5', 'h4'], false]);
    assert.deepEqual(seen.second, [['h5', 'h4', 'h3'], true]);
    assert.deepEqual(seen.after, ['h6', 'h5', 'h4', 'h3']);
    assert.deepEqual(seen.asked, [{ limit: 10, before: undefined }, { limit: 10, before: 4 },
      { limit: 10, before: undefined }, { limit: 10, before: undefined }]);
    assert.deepEqual(seen.errors, ['cleared', 'timeout']);
    assert.deepEqual(seen.saved, ['true', 'Resolved', 'ok']);
    assert.equal(seen.state, 'idle');
  });

  test('no view threw on the page', () => {
    assert.deepEqual(page.errors, []);
  });
});

// =============================================================================================
// 3. What the adapter embeds
// =============================================================================================

test('CTI_WEB_FILES embeds every module of adapter/web/cti and adapter/web/softphone', async () => {
  const cmake = await readFile(join(WEB_DIR, '..', 'CMakeLists.txt'), 'utf8');
  const listed = new Set(/set\(CTI_WEB_FILES([^)]*)\)/.exec(cmake)[1].split(/\s+/).filter(Boolean));
  for (const folder of ['cti', 'softphone']) {
    for (const name of await readdir(join(WEB_DIR, folder))) {
      if (name.endsWith('.js')) assert.ok(listed.has(`${folder}/${name}`), `${folder}/${name} in CTI_WEB_FILES`);
    }
  }
});
