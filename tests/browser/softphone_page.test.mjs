// Tests of the browser side of the cti-adapter.
//
//  1. "cti.js": the browser client against a scripted fake WebSocket (no adapter, no browser):
//     port scanning, the seq rule, session resume, commands and their errors, the pending
//     call logs; and that cti.d.ts declares everything the module exports, and that cti.js
//     re-exports what the modules in adapter/web/cti/ make public.
//  2. "softphone page": the real page in headless Chromium against a real adapter process,
//     started from $CTI_ADAPTER_BIN with the simulator driver (skipped when that is unset).
//  3. "call logs": the page's wrap-up and history against a second adapter with a fresh journal,
//     including a call that rang and ended before any page was open (skipped likewise).
//  4. "screen pops and agent state": pops matched from a directory file (one, several, no
//     match), the agent-state selector across a reload, and a call that ends while the adapter
//     is killed and restarted with no page open. Screenshots go to $CTI_BROWSER_ARTIFACTS
//     (CTest: build/<preset>/browser-artifacts) or ./artifacts.
//
// Run:  cd tests/browser && npm ci && CTI_ADAPTER_BIN=/path/to/cti-adapter node --test
// Chromium: /usr/bin/chromium (Debian's package), or $CHROMIUM_BIN.
//
// Nothing waits with fixed sleeps: the page is observed with Playwright's auto-waiting
// (locator.waitFor / waitForFunction), processes through their output and exit events.

import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import * as ctiModule from '../../adapter/web/cti.js';
import { CtiClient, CtiError, EVENT_NAMES, parseTelHref } from '../../adapter/web/cti.js';
import { createFakeWebSocket } from './fake_websocket.mjs';
import { ADAPTER_BIN, NEEDS_ADAPTER, parseCallId, runCli, startAdapter } from './adapter_process.mjs';
import { ctiClientFiles } from './cti_client_files.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
/** A number the simulator answers busy (simulator.busy_numbers). */
const BUSY_NUMBER = '+14155550166';
const WEB_DIR = join(HERE, '..', '..', 'adapter', 'web');

// =============================================================================================
// 1. cti.js against a fake WebSocket
// =============================================================================================

const EPOCH = 'e1e1e1e1e1e1e1e1';
const DRIVER = { name: 'simulator', status: 'connected', detail: '' };

function hello(epoch = EPOCH, extra = {}) {
  return {
    v: 1, type: 'hello', product: 'cti-adapter', version: '0.1.0', protocol: 1, epoch,
    driver: DRIVER, capabilities: ['answer', 'decline', 'dial', 'dtmf', 'hangup', 'hold', 'resume', 'transfer'],
    ...extra,
  };
}

function snapshot(seq, calls = [], epoch = EPOCH, resync = false, callLogs = []) {
  return { v: 1, type: 'snapshot', resync, epoch, seq, driver: DRIVER, calls, call_logs: callLogs };
}

/** A call-log record (protocol section 3.3). */
function callLog(id, extra = {}) {
  return {
    log_id: id, call_id: id, call_type: 'inbound',
    from: { number: '+14155550123', name: 'Ada Lovelace' }, to: { number: '1001', name: 'Agent' },
    started_at: '2026-11-21T09:14:03.127Z', answered_at: '2026-11-21T09:14:05.000Z',
    ended_at: '2026-11-21T09:16:10.500Z', duration_s: 125, end_reason: 'normal', driver: 'simulator',
    disposition: null, notes: null, acknowledged: false, cursor: Number(id.replace(/\D/g, '')) || 1,
    ...extra,
  };
}

function call(id, state, extra = {}) {
  return {
    id, direction: 'inbound', state,
    from: { number: '+14155550123', name: 'Ada Lovelace' },
    to: { number: '+442071234567', name: '' },
    started_at: '2026-11-21T09:14:03.127Z',
    answered_at: state === 'connected' || state === 'held' ? '2026-11-21T09:14:05.000Z' : null,
    ended_at: state === 'ended' ? '2026-11-21T09:15:00.000Z' : null,
    end_reason: null, driver: 'simulator', ...extra,
  };
}

function event(seq, name, fields = {}, epoch = EPOCH) {
  return { v: 1, type: 'event', seq, epoch, name, ...fields };
}

/** A client on a fake WebSocket with fast retries; also records what it emits. */
function makeClient(options = {}) {
  const fake = createFakeWebSocket();
  const client = new CtiClient({
    ports: [11000, 11001, 11002],
    WebSocket: fake.FakeWebSocket,
    reconnectDelayMs: 1,
    maxReconnectDelayMs: 4,
    commandTimeoutMs: 2000,
    ...options,
  });
  const seen = { connection: [], events: [], calls: [], logs: [] };
  client.on('connection', (info) => seen.connection.push(info));
  client.on('*', (ev) => seen.events.push(ev.seq));
  client.on('calls', (calls) => seen.calls.push(calls.map((c) => `${c.id}:${c.state}`)));
  client.on('logs', (logs) => seen.logs.push(logs.map((l) => l.log_id)));
  return { client, seen, ...fake };
}

/** Connects on the first port with hello + snapshot; returns the socket. */
async function connectFirst(ctx, snap = snapshot(0)) {
  const connected = ctx.client.connect();
  const ws = await ctx.nextSocket();
  ws.accept(hello(snap.epoch), snap);
  await connected;
  return ws;
}

describe('cti.js (browser client) against a fake WebSocket', () => {
  test('scans the ports in order and keeps the first cti-adapter', async () => {
    const ctx = makeClient();
    const connected = ctx.client.connect();

    const first = await ctx.nextSocket();
    assert.equal(first.url, 'ws://127.0.0.1:11000/ws');
    first.refuse(); // nothing listening / 403

    const second = await ctx.nextSocket();
    assert.equal(second.url, 'ws://127.0.0.1:11001/ws');
    second.accept({ v: 1, type: 'hello', product: 'something-else' });
    assert.ok(second.closedByClient, 'a server that is not cti-adapter is closed');

    const third = await ctx.nextSocket();
    assert.equal(third.url, 'ws://127.0.0.1:11002/ws');
    third.accept(hello(), snapshot(7, [call('c-1', 'ringing')]));

    const helloFrame = await connected;
    assert.equal(helloFrame.product, 'cti-adapter');
    assert.equal(ctx.client.connectionState, 'connected');
    assert.equal(ctx.client.port, 11002);
    assert.equal(ctx.client.epoch, EPOCH);
    assert.equal(ctx.client.lastSeq, 7);
    assert.deepEqual(ctx.client.calls.map((c) => c.id), ['c-1']);
    assert.deepEqual(ctx.client.driver, DRIVER);
    assert.deepEqual(ctx.seen.connection.map((c) => c.state), ['connecting', 'connected']);
    assert.equal(ctx.seen.connection.at(-1).port, 11002);
    ctx.client.close();
  });

  test('can() allows a control only where the driver advertises it and the call\'s state allows it', async () => {
    const ctx = makeClient();
    const connected = ctx.client.connect();
    const ws = await ctx.nextSocket();
    // A SIP desk phone in ring-only mode with click-to-dial: decline, dial, hang up.
    ws.accept(hello(EPOCH, { capabilities: ['decline', 'dial', 'hangup'] }),
      snapshot(0, [call('r', 'ringing'), call('c', 'connected'), call('h', 'held')]));
    await connected;
    const { client } = ctx;
    assert.equal(client.can('dial'), true);
    assert.equal(client.can('decline', 'r'), true);
    assert.equal(client.can('answer', 'r'), false, 'not advertised');
    assert.equal(client.can('hangup', 'c'), true);
    assert.equal(client.can('hangup', client.getCall('h')), true);
    assert.equal(client.can('hangup', 'r'), false, 'a ringing call is declined, not hung up');
    assert.equal(client.can('decline', 'c'), false, 'only a ringing call is declined');
    assert.equal(client.can('hold', 'c'), false, 'not advertised');
    assert.equal(client.can('hangup', 'gone'), false, 'no such call');
    client.close();

    // Everything advertised: the call's state decides.
    const all = makeClient();
    const open = all.client.connect();
    const socket = await all.nextSocket();
    socket.accept(hello(), snapshot(0, [call('c', 'connected'), call('h', 'held')]));
    await open;
    assert.equal(all.client.can('hold', 'c'), true);
    assert.equal(all.client.can('resume', 'c'), false);
    assert.equal(all.client.can('resume', 'h'), true);
    assert.equal(all.client.can('dtmf', 'h'), false);
    assert.equal(all.client.can('transfer', 'h'), true);
    all.client.close();
  });

  test('with `secure` it connects with wss:// (the adapter\'s tls setting)', async () => {
    const ctx = makeClient({ secure: true });
    const connected = ctx.client.connect();
    const ws = await ctx.nextSocket();
    assert.equal(ws.url, 'wss://127.0.0.1:11000/ws');
    ws.accept(hello(), snapshot(0));
    await connected;
    assert.equal(ctx.client.connectionState, 'connected');
    ctx.client.close();
  });

  test('applies events in seq order, ignores duplicates, resumes on a gap', async () => {
    const ctx = makeClient();
    const ws = await connectFirst(ctx, snapshot(5, [call('c-1', 'ringing')]));

    const ringing = [];
    ctx.client.on('call.connected', (ev) => ringing.push(ev.seq));

    ws.receive(event(6, 'call.connected', { call: call('c-1', 'connected') }));
    assert.equal(ctx.client.lastSeq, 6);
    assert.equal(ctx.client.getCall('c-1').state, 'connected');

    ws.receive(event(6, 'call.connected', { call: call('c-1', 'connected') })); // duplicate
    ws.receive(event(4, 'call.ringing', { call: call('c-0', 'ringing') })); // old
    assert.deepEqual(ctx.seen.events, [6]);

    // 7 is missing: 8 is ignored and a session resume asks for everything after 6.
    ws.receive(event(8, 'call.resumed', { call: call('c-1', 'connected') }));
    assert.equal(ctx.client.lastSeq, 6);
    const resume = await ws.nextSent();
    assert.equal(resume.type, 'resume');
    assert.equal(resume.v, 1);
    assert.equal(resume.epoch, EPOCH);
    assert.equal(resume.after_seq, 6);
    assert.equal(typeof resume.id, 'string');
    assert.equal(resume.call_id, undefined);

    // Another gap while the resume is under way sends no second resume.
    ws.receive(event(9, 'call.ended', { call: call('c-1', 'ended'), reason: 'normal' }));
    assert.equal(ws.sent.length, 1);

    // The replay: 7, 8, then 9 (which also arrives live once more), then the result.
    ws.receive(event(7, 'call.held', { call: call('c-1', 'held') }));
    ws.receive(event(8, 'call.resumed', { call: call('c-1', 'connected') }));
    ws.receive(event(9, 'call.ended', { call: call('c-1', 'ended'), reason: 'normal' }));
    ws.receive({ v: 1, type: 'result', id: resume.id, ok: true, data: { replayed: 3, resync: false } });
    ws.receive(event(9, 'call.ended', { call: call('c-1', 'ended'), reason: 'normal' }));

    assert.deepEqual(ctx.seen.events, [6, 7, 8, 9]);
    assert.equal(ctx.client.lastSeq, 9);
    assert.deepEqual(ctx.client.calls, [], 'an ended call is removed');
    assert.deepEqual(ctx.seen.calls.at(-1), []);
    assert.deepEqual(ringing, [6]);
    ctx.client.close();
  });

  test('a resync snapshot replaces the state', async () => {
    const ctx = makeClient();
    const ws = await connectFirst(ctx, snapshot(3, [call('c-1', 'ringing')]));
    ws.receive(event(10, 'call.connected', { call: call('c-1', 'connected') }));
    const resume = await ws.nextSent();
    assert.equal(resume.after_seq, 3);

    const snapshots = [];
    ctx.client.on('snapshot', (s) => snapshots.push(s));
    ws.receive(snapshot(12, [call('c-2', 'held')], EPOCH, true));
    ws.receive({ v: 1, type: 'result', id: resume.id, ok: true, data: { replayed: 0, resync: true } });
    assert.equal(snapshots.length, 1);
    assert.equal(ctx.client.lastSeq, 12);
    assert.deepEqual(ctx.client.calls.map((c) => `${c.id}:${c.state}`), ['c-2:held']);

    ws.receive(event(13, 'call.resumed', { call: call('c-2', 'connected') }));
    assert.equal(ctx.client.getCall('c-2').state, 'connected');
    ctx.client.close();
  });

  test('after a drop it reconnects and resumes the same run', async () => {
    const ctx = makeClient();
    const ws = await connectFirst(ctx, snapshot(20, [call('c-1', 'connected')]));
    ws.receive(event(21, 'call.held', { call: call('c-1', 'held') }));

    const pending = ctx.client.hold('c-1');
    ws.drop(1001);
    await assert.rejects(pending, (err) => err instanceof CtiError && err.code === 'not_connected');
    assert.equal(ctx.client.connectionState, 'disconnected');
    const dropped = ctx.seen.connection.at(-1);
    assert.equal(dropped.state, 'disconnected');
    assert.equal(dropped.closeCode, 1001);
    assert.ok(dropped.retryInMs >= 0 && dropped.retryInMs <= 4);

    // Commands while disconnected fail at once.
    await assert.rejects(ctx.client.dial('123'), { code: 'not_connected' });

    const again = await ctx.nextSocket();
    assert.equal(again.url, 'ws://127.0.0.1:11000/ws');
    const ended = [];
    ctx.client.on('call.ended', (ev) => ended.push(ev.reason));
    // Same epoch: the connect snapshot (seq 23) is not applied; the client resumes after 21.
    again.accept(hello(), snapshot(23, []));
    const resume = await again.nextSent();
    assert.deepEqual(
      { type: resume.type, epoch: resume.epoch, after_seq: resume.after_seq },
      { type: 'resume', epoch: EPOCH, after_seq: 21 },
    );
    assert.equal(ctx.client.connectionState, 'connected');
    again.receive(event(22, 'call.resumed', { call: call('c-1', 'connected') }));
    again.receive(event(23, 'call.ended', { call: call('c-1', 'ended'), reason: 'normal' }));
    again.receive({ v: 1, type: 'result', id: resume.id, ok: true, data: { replayed: 2, resync: false } });
    assert.deepEqual(ended, ['normal'], 'the call that ended while away is reported');
    assert.equal(ctx.client.lastSeq, 23);
    assert.deepEqual(ctx.client.calls, []);
    assert.deepEqual(ctx.seen.connection.map((c) => c.state),
      ['connecting', 'connected', 'disconnected', 'connecting', 'connected']);
    ctx.client.close();
  });

  test('a new epoch takes the snapshot and sends no resume', async () => {
    const ctx = makeClient();
    const ws = await connectFirst(ctx, snapshot(50, [call('c-1', 'connected')]));
    ws.drop(1006);
    const again = await ctx.nextSocket();
    again.accept(hello('e2e2e2e2e2e2e2e2'), snapshot(0, [], 'e2e2e2e2e2e2e2e2'));
    assert.equal(ctx.client.epoch, 'e2e2e2e2e2e2e2e2');
    assert.equal(ctx.client.lastSeq, 0);
    assert.deepEqual(ctx.client.calls, []);
    assert.deepEqual(again.sent, []);
    again.receive(event(1, 'call.ringing', { call: call('x-1', 'ringing') }, 'e2e2e2e2e2e2e2e2'));
    assert.deepEqual(ctx.client.calls.map((c) => c.id), ['x-1']);
    ctx.client.close();
  });

  test('commands resolve with data and reject with the error code', async () => {
    const ctx = makeClient({ commandTimeoutMs: 50 });
    const ws = await connectFirst(ctx);

    const dial = ctx.client.dial('+1 (415) 555-0123');
    const dialFrame = await ws.nextSent();
    assert.deepEqual({ ...dialFrame, id: undefined }, { v: 1, type: 'dial', id: undefined, to: '+1 (415) 555-0123' });

    const hold = ctx.client.hold('nope');
    const holdFrame = await ws.nextSent();
    assert.deepEqual([holdFrame.type, holdFrame.call_id], ['hold', 'nope']);
    assert.notEqual(holdFrame.id, dialFrame.id);

    // Results may come in any order.
    ws.receive({
      v: 1, type: 'result', id: holdFrame.id, ok: false,
      error: { code: 'no_such_call', message: "no active call with call_id 'nope'" },
    });
    ws.receive({ v: 1, type: 'result', id: dialFrame.id, ok: true, data: { call_id: 'c-9' } });
    assert.deepEqual(await dial, { call_id: 'c-9' });
    await assert.rejects(hold, (err) => {
      assert.ok(err instanceof Error);
      assert.equal(err.code, 'no_such_call');
      assert.equal(err.message, "no active call with call_id 'nope'");
      return true;
    });

    // The other methods put the documented fields on the wire.
    const calls = [
      [() => ctx.client.answer('a'), { type: 'answer', call_id: 'a' }],
      [() => ctx.client.decline('a'), { type: 'decline', call_id: 'a' }],
      [() => ctx.client.hangup('a'), { type: 'hangup', call_id: 'a' }],
      [() => ctx.client.resume('a'), { type: 'resume', call_id: 'a' }],
      [() => ctx.client.transfer('a', '200'), { type: 'transfer', call_id: 'a', to: '200' }],
      [() => ctx.client.dtmf('a', '12#'), { type: 'dtmf', call_id: 'a', digits: '12#' }],
      [() => ctx.client.ping(), { type: 'ping' }],
      [() => ctx.client.send('simulate', { action: 'incoming', from: '123' }), { type: 'simulate', action: 'incoming', from: '123' }],
    ];
    for (const [invoke, expected] of calls) {
      const promise = invoke();
      const frame = await ws.nextSent();
      const { v, id, ...rest } = frame;
      assert.equal(v, 1);
      assert.deepEqual(rest, expected);
      ws.receive({ v: 1, type: 'result', id, ok: true, data: {} });
      assert.deepEqual(await promise, {});
    }

    // No result in time.
    const lost = ctx.client.ping();
    await ws.nextSent();
    await assert.rejects(lost, { code: 'timeout' });
    ctx.client.close();
  });

  test('snapshot() refreshes the state', async () => {
    const ctx = makeClient();
    const ws = await connectFirst(ctx, snapshot(2, [call('c-1', 'ringing')]));
    const promise = ctx.client.snapshot();
    const frame = await ws.nextSent();
    assert.equal(frame.type, 'snapshot');
    const data = { epoch: EPOCH, seq: 4, driver: DRIVER, calls: [call('c-1', 'connected')] };
    ws.receive({ v: 1, type: 'result', id: frame.id, ok: true, data });
    assert.deepEqual(await promise, data);
    assert.equal(ctx.client.lastSeq, 4);
    assert.equal(ctx.client.getCall('c-1').state, 'connected');
    ctx.client.close();
  });

  test('close() stops reconnecting and fails a waiting connect()', async () => {
    const ctx = makeClient();
    const connecting = ctx.client.connect();
    const ws = await ctx.nextSocket();
    ctx.client.close();
    await assert.rejects(connecting, { code: 'not_connected' });
    assert.ok(ws.closedByClient);
    assert.equal(ctx.client.connectionState, 'disconnected');
  });

  test('keeps the pending call logs from the snapshot and the call_log events', async () => {
    assert.ok(EVENT_NAMES.includes('call_log') && EVENT_NAMES.includes('call_log.saved'));
    const ctx = makeClient();
    const ws = await connectFirst(ctx, snapshot(4, [], EPOCH, false, [callLog('L1'), callLog('L2')]));
    assert.deepEqual(ctx.client.pendingLogs.map((l) => l.log_id), ['L1', 'L2']);
    assert.deepEqual(ctx.seen.logs, [['L1', 'L2']]);
    assert.equal(ctx.client.getPendingLog('L2').duration_s, 125);

    const logEvents = [];
    const savedEvents = [];
    ctx.client.on('call_log', (ev) => logEvents.push(ev.log.log_id));
    ctx.client.on('call_log.saved', (ev) => savedEvents.push(ev.log.log_id));

    // The call that just ended: call.ended, then its call_log.
    ws.receive(event(5, 'call.ended', { call: call('L3', 'ended'), reason: 'normal' }));
    ws.receive(event(6, 'call_log', { log: callLog('L3') }));
    assert.deepEqual(ctx.client.pendingLogs.map((l) => l.log_id), ['L1', 'L2', 'L3']);
    assert.deepEqual(ctx.seen.logs.at(-1), ['L1', 'L2', 'L3']);
    assert.deepEqual(logEvents, ['L3']);
    assert.deepEqual(ctx.seen.events, [5, 6], "'*' gets the call-log events too");

    // A duplicate (same seq) changes nothing.
    ws.receive(event(6, 'call_log', { log: callLog('L3') }));
    assert.equal(ctx.seen.logs.length, 2);

    // Another page saved L1.
    ws.receive(event(7, 'call_log.saved', { log: callLog('L1', { acknowledged: true, disposition: 'Resolved' }) }));
    assert.deepEqual(ctx.client.pendingLogs.map((l) => l.log_id), ['L2', 'L3']);
    assert.deepEqual(ctx.seen.logs.at(-1), ['L2', 'L3']);
    assert.deepEqual(savedEvents, ['L1']);
    assert.equal(ctx.client.getPendingLog('L1'), undefined);

    // Saved somewhere else and not pending here: the event is delivered, `logs` stays quiet.
    ws.receive(event(8, 'call_log.saved', { log: callLog('L0', { acknowledged: true }) }));
    assert.deepEqual(savedEvents, ['L1', 'L0']);
    assert.equal(ctx.seen.logs.length, 3);

    // The list handed out is a copy.
    ctx.client.pendingLogs.pop();
    assert.equal(ctx.client.pendingLogs.length, 2);
    ctx.client.close();
  });

  test('saveLog sends save_log and drops the log once the adapter saved it', async () => {
    const ctx = makeClient();
    const ws = await connectFirst(ctx, snapshot(10, [], EPOCH, false, [callLog('L1'), callLog('L2'), callLog('L3')]));
    const emitted = ctx.seen.logs.length;

    const save = ctx.client.saveLog('L2', { disposition: 'Follow-up needed', notes: 'Call back on Monday' });
    const frame = await ws.nextSent();
    const { v, id, ...rest } = frame;
    assert.equal(v, 1);
    assert.deepEqual(rest, { type: 'save_log', log_id: 'L2', disposition: 'Follow-up needed', notes: 'Call back on Monday' });
    assert.deepEqual(ctx.client.pendingLogs.map((l) => l.log_id), ['L1', 'L2', 'L3'], 'still pending until the result');

    const saved = callLog('L2', { acknowledged: true, disposition: 'Follow-up needed', notes: 'Call back on Monday' });
    ws.receive({ v: 1, type: 'result', id, ok: true, data: { log: saved } });
    assert.deepEqual(await save, { log: saved });
    assert.deepEqual(ctx.client.pendingLogs.map((l) => l.log_id), ['L1', 'L3']);
    assert.deepEqual(ctx.seen.logs.slice(emitted), [['L1', 'L3']]);
    // Its call_log.saved follows and changes nothing more.
    ws.receive(event(11, 'call_log.saved', { log: saved }));
    assert.equal(ctx.seen.logs.length, emitted + 1);

    // Without fields only the log id goes on the wire (the record keeps what it has).
    const bare = ctx.client.saveLog('L3');
    const bareFrame = await ws.nextSent();
    assert.deepEqual(Object.keys(bareFrame).sort(), ['id', 'log_id', 'type', 'v']);
    ws.receive({ v: 1, type: 'result', id: bareFrame.id, ok: true, data: { log: callLog('L3', { acknowledged: true }) } });
    await bare;
    assert.deepEqual(ctx.client.pendingLogs.map((l) => l.log_id), ['L1']);

    // A failed save keeps the log pending and rejects with the adapter's code.
    for (const code of ['storage_error', 'no_such_log']) {
      const failing = ctx.client.saveLog('L1', { notes: 'x' });
      const failingFrame = await ws.nextSent();
      ws.receive({ v: 1, type: 'result', id: failingFrame.id, ok: false, error: { code, message: `${code} message` } });
      await assert.rejects(failing, (err) => err instanceof CtiError && err.code === code && err.message === `${code} message`);
      assert.deepEqual(ctx.client.pendingLogs.map((l) => l.log_id), ['L1']);
    }
    assert.equal(ctx.seen.logs.length, emitted + 2);

    // Not connected: rejects at once, nothing changes.
    ws.drop(1006);
    await assert.rejects(ctx.client.saveLog('L1'), { code: 'not_connected' });
    assert.deepEqual(ctx.client.pendingLogs.map((l) => l.log_id), ['L1']);
    ctx.client.close();
  });

  test('history() pages with limit and before', async () => {
    const ctx = makeClient();
    const ws = await connectFirst(ctx);

    const first = ctx.client.history();
    const firstFrame = await ws.nextSent();
    assert.deepEqual(Object.keys(firstFrame).sort(), ['id', 'type', 'v']);
    assert.equal(firstFrame.type, 'history');
    const page1 = { logs: [callLog('L9'), callLog('L8')], next: 8 };
    ws.receive({ v: 1, type: 'result', id: firstFrame.id, ok: true, data: page1 });
    assert.deepEqual(await first, page1);

    const second = ctx.client.history({ limit: 2, before: 8 });
    const secondFrame = await ws.nextSent();
    assert.deepEqual([secondFrame.type, secondFrame.limit, secondFrame.before], ['history', 2, 8]);
    ws.receive({ v: 1, type: 'result', id: secondFrame.id, ok: true, data: { logs: [callLog('L7')], next: null } });
    const page2 = await second;
    assert.deepEqual(page2.logs.map((l) => l.log_id), ['L7']);
    assert.equal(page2.next, null);

    const bad = ctx.client.history({ limit: 1000 });
    const badFrame = await ws.nextSent();
    ws.receive({ v: 1, type: 'result', id: badFrame.id, ok: false, error: { code: 'bad_request', message: "'limit' must be an integer from 1 to 100" } });
    await assert.rejects(bad, { code: 'bad_request' });
    assert.deepEqual(ctx.client.pendingLogs, [], 'history leaves the pending list alone');
    ctx.client.close();
  });

  test('pending call logs across reconnects, resyncs and snapshot()', async () => {
    const ctx = makeClient();
    const ws = await connectFirst(ctx, snapshot(30, [], EPOCH, false, [callLog('L1')]));
    ws.drop(1006);
    assert.deepEqual(ctx.client.pendingLogs.map((l) => l.log_id), ['L1'], 'kept while away');

    // Same run: the list is kept and the replay brings what happened meanwhile.
    const again = await ctx.nextSocket();
    again.accept(hello(), snapshot(32, [], EPOCH, false, [callLog('L2')]));
    const resume = await again.nextSent();
    assert.equal(resume.after_seq, 30);
    again.receive(event(31, 'call_log', { log: callLog('L2') }));
    again.receive(event(32, 'call_log.saved', { log: callLog('L1', { acknowledged: true }) }));
    again.receive({ v: 1, type: 'result', id: resume.id, ok: true, data: { replayed: 2, resync: false } });
    assert.deepEqual(ctx.client.pendingLogs.map((l) => l.log_id), ['L2']);

    // A resync snapshot (the answer to a resume that could not replay) replaces the list.
    again.receive(snapshot(41, [], EPOCH, true, [callLog('L2'), callLog('L4')]));
    assert.deepEqual(ctx.client.pendingLogs.map((l) => l.log_id), ['L2', 'L4']);

    // snapshot() too.
    const refresh = ctx.client.snapshot();
    const refreshFrame = await again.nextSent();
    again.receive({
      v: 1, type: 'result', id: refreshFrame.id, ok: true,
      data: { epoch: EPOCH, seq: 41, driver: DRIVER, calls: [], call_logs: [callLog('L4')] },
    });
    await refresh;
    assert.deepEqual(ctx.client.pendingLogs.map((l) => l.log_id), ['L4']);

    // A new run (the adapter restarted): its snapshot is the truth, journal and all.
    const logsBefore = ctx.seen.logs.length;
    again.drop(1001);
    const third = await ctx.nextSocket();
    third.accept(hello('e3e3e3e3e3e3e3e3'), snapshot(0, [], 'e3e3e3e3e3e3e3e3', false, [callLog('L4'), callLog('L5')]));
    assert.deepEqual(ctx.client.pendingLogs.map((l) => l.log_id), ['L4', 'L5']);
    assert.deepEqual(ctx.seen.logs.slice(logsBefore), [['L4', 'L5']]);
    // The same list again does not fire `logs`.
    const unchanged = ctx.client.snapshot();
    const unchangedFrame = await third.nextSent();
    third.receive({
      v: 1, type: 'result', id: unchangedFrame.id, ok: true,
      data: { epoch: 'e3e3e3e3e3e3e3e3', seq: 0, driver: DRIVER, calls: [], call_logs: [callLog('L4'), callLog('L5')] },
    });
    await unchanged;
    assert.equal(ctx.seen.logs.length, logsBefore + 1);
    ctx.client.close();
  });

  test('keeps the agent state and the not-ready reasons; setAgentState sends set_agent_state', async () => {
    assert.ok(EVENT_NAMES.includes('agent.state'));
    const ctx = makeClient();
    const agents = [];
    ctx.client.on('agent', (agent) => agents.push(agent.state));
    const connected = ctx.client.connect();
    const ws = await ctx.nextSocket();
    const notReady = { state: 'not_ready', reason: 'Lunch', since: '2026-11-21T09:00:00.000Z', wrap_up_ends_at: null };
    ws.accept(hello(EPOCH, { not_ready_reasons: ['Break', 'Lunch'] }), { ...snapshot(3), agent: notReady });
    await connected;
    assert.deepEqual(ctx.client.notReadyReasons, ['Break', 'Lunch']);
    assert.deepEqual(ctx.client.agent, notReady);

    const change = ctx.client.setAgentState('ready');
    const frame = await ws.nextSent();
    assert.equal(frame.type, 'set_agent_state');
    assert.equal(frame.state, 'ready');
    assert.equal('reason' in frame, false);
    const ready = { state: 'ready', reason: null, since: '2026-11-21T09:05:00.000Z', wrap_up_ends_at: null };
    ws.receive(event(4, 'agent.state', { agent: ready }));
    ws.receive({ v: 1, type: 'result', id: frame.id, ok: true, data: { agent: ready } });
    assert.deepEqual(await change, { agent: ready });
    assert.equal(ctx.client.agent.state, 'ready');
    assert.deepEqual(agents, ['not_ready', 'ready']);

    const refused = ctx.client.setAgentState('not_ready', 'Nap');
    const second = await ws.nextSent();
    assert.equal(second.reason, 'Nap');
    ws.receive({ v: 1, type: 'result', id: second.id, ok: false, error: { code: 'bad_request', message: "'reason' must be one of" } });
    await assert.rejects(refused, (err) => err instanceof CtiError && err.code === 'bad_request');
    assert.equal(ctx.client.agent.state, 'ready');
    ctx.client.close();
  });

  test('pairs when the adapter asks, then authenticates with the stored token; 4001 and 4003 forget it', async () => {
    const stored = new Map();
    const tokenStore = {
      get: (key) => stored.get(key) ?? null,
      set: (key, token) => stored.set(key, token),
      remove: (key) => stored.delete(key),
    };
    const ctx = makeClient({ tokenStore, appName: 'Test CRM' });
    const pairing = [];
    ctx.client.on('pairing', (info) => pairing.push(info));
    const authRequired = { v: 1, type: 'hello', product: 'cti-adapter', version: '0.1.0', protocol: 1, auth: 'required' };

    // No token yet: it asks to pair and shows the code; nothing else may be sent meanwhile.
    const connected = ctx.client.connect();
    let ws = await ctx.nextSocket();
    ws.accept(authRequired);
    const pair = await ws.nextSent();
    assert.deepEqual({ type: pair.type, name: pair.name }, { type: 'pair', name: 'Test CRM' });
    await assert.rejects(ctx.client.dial('+14155550123'), (err) => err.code === 'not_connected');
    assert.equal(ws.sent.length, 1, 'the dial was not sent before pairing');
    ws.receive({ v: 1, type: 'result', id: pair.id, ok: true,
      data: { request_id: 'r1', code: '482913', approve_at: 'http://127.0.0.1:11000/pair', expires_in_ms: 120000 } });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(pairing.at(-1), { state: 'waiting', code: '482913', approveAt: 'http://127.0.0.1:11000/pair', expiresInMs: 120000 });
    assert.equal(ctx.client.connectionState, 'connecting');

    // Approved: the token is stored, then the full hello and snapshot connect the client.
    ws.receive({ v: 1, type: 'paired', token: 'tok-1' });
    ws.receive(hello());
    ws.receive(snapshot(3));
    await connected;
    assert.deepEqual(pairing.at(-1), { state: 'paired' });
    assert.deepEqual([...stored.values()], ['tok-1']);
    const [key] = stored.keys();
    assert.equal(ctx.client.lastSeq, 3);

    // A drop: the next connection authenticates with the stored token instead of pairing.
    ws.drop(1006);
    ws = await ctx.nextSocket();
    ws.accept(authRequired);
    const auth = await ws.nextSent();
    assert.deepEqual({ type: auth.type, token: auth.token }, { type: 'authenticate', token: 'tok-1' });

    // Revoked (4003): the token is forgotten and the next connection pairs again.
    ws.drop(4003);
    assert.equal(stored.size, 0);
    ws = await ctx.nextSocket();
    ws.accept(authRequired);
    assert.equal((await ws.nextSent()).type, 'pair');

    // A refused token (4001) is forgotten too.
    stored.set(key, 'stale');
    ws.drop(4001);
    assert.equal(stored.size, 0);

    // Denied: reported; pair() asks again.
    ws = await ctx.nextSocket();
    ws.accept(authRequired);
    const again = await ws.nextSent();
    ws.receive({ v: 1, type: 'result', id: again.id, ok: true,
      data: { request_id: 'r2', code: '000001', approve_at: 'http://127.0.0.1:11000/pair', expires_in_ms: 1000 } });
    ws.receive({ v: 1, type: 'pairing_failed', reason: 'denied' });
    assert.deepEqual(pairing.at(-1), { state: 'failed', reason: 'denied' });
    const retry = ctx.client.pair();
    assert.equal((await ws.nextSent()).type, 'pair');
    ctx.client.close();
    await assert.rejects(retry);
  });

  test('cti.d.ts declares every export, method and event of cti.js', async () => {
    const dts = await readFile(join(WEB_DIR, 'cti.d.ts'), 'utf8');
    for (const name of Object.keys(ctiModule)) {
      if (name === 'default') {
        assert.match(dts, /^export default CtiClient;$/m);
        continue;
      }
      assert.match(dts, new RegExp(`^export declare (const|function|class) ${name}\\b`, 'm'), `export ${name}`);
    }
    const classBody = /export declare class CtiClient \{([\s\S]*?)\n\}/.exec(dts)[1];
    const members = new Set();
    for (let proto = CtiClient.prototype; proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const key of Object.getOwnPropertyNames(proto)) {
        if (key !== 'constructor' && !key.startsWith('_')) members.add(key);
      }
    }
    for (const key of Object.keys(new CtiClient({ WebSocket: class {} }))) {
      if (!key.startsWith('_')) members.add(key);
    }
    for (const member of members) {
      assert.match(classBody, new RegExp(`^\\s+(readonly )?${member}[(<:]`, 'm'), `CtiClient.${member}`);
    }
    const eventMap = /export interface AdapterEventMap \{([\s\S]*?)\n\}/.exec(dts)[1];
    for (const name of EVENT_NAMES) assert.ok(eventMap.includes(`'${name}':`), `event ${name}`);
    const clientEvents = /export interface ClientEventMap \{([\s\S]*?)\n\}/.exec(dts)[1];
    for (const name of ['connection', 'hello', 'snapshot', 'calls', 'logs', 'driver', 'agent', 'pairing', 'error']) {
      assert.match(clientEvents, new RegExp(`^\\s+${name}:`, 'm'), `client event ${name}`);
    }
  });

  test('cti.js re-exports what the modules in cti/ declare public, and cti.d.ts their methods', async () => {
    const dts = await readFile(join(WEB_DIR, 'cti.d.ts'), 'utf8');
    const declared = new Set([...dts.matchAll(/^export declare (?:const|function|class) (\w+)/gm)].map((m) => m[1]));
    const classBody = /export declare class CtiClient \{([\s\S]*?)\n\}/.exec(dts)[1];
    const modules = (await readdir(join(WEB_DIR, 'cti'))).filter((name) => name.endsWith('.js'));
    assert.ok(modules.length > 1, 'cti/ holds the modules');
    const seen = new Set();
    for (const name of modules) {
      const module = await import(pathToFileURL(join(WEB_DIR, 'cti', name)).href);
      for (const [key, value] of Object.entries(module)) {
        // A module's job is mixed into CtiClient: its public methods are the client's.
        if (/Methods$/.test(key)) {
          for (const method of Object.getOwnPropertyNames(value.prototype)) {
            if (method === 'constructor' || method.startsWith('_')) continue;
            assert.equal(CtiClient.prototype[method], value.prototype[method], `CtiClient.${method} from cti/${name}`);
            assert.match(classBody, new RegExp(`^\\s+(readonly )?${method}[(<:]`, 'm'), `cti.d.ts declares CtiClient.${method} (cti/${name})`);
          }
          continue;
        }
        if (!declared.has(key)) continue; // shared between the modules, not for pages
        assert.equal(ctiModule[key], value, `cti.js re-exports ${key} of cti/${name}`);
        seen.add(key);
      }
    }
    assert.deepEqual([...declared].filter((key) => !seen.has(key)), [], 'every declaration comes from a module');
  });

  test('parseTelHref', () => {
    assert.equal(parseTelHref('tel:+14155550199'), '+14155550199');
    assert.equal(parseTelHref('TEL:+1-415-555-0199;ext=12'), '+1-415-555-0199');
    assert.equal(parseTelHref('tel:%2B1%20415%20555%200199'), '+1 415 555 0199');
    assert.equal(parseTelHref('tel:*21%23'), '*21#');
    assert.equal(parseTelHref('tel:%E0%A4%A'), '%E0%A4%A');
    assert.equal(parseTelHref('mailto:a@b.c'), '');
    assert.equal(parseTelHref('tel:'), '');
    assert.equal(parseTelHref(null), '');
  });
});

// =============================================================================================
// 2. The softphone page in headless Chromium against a real adapter
// =============================================================================================

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const CALLER_NUMBER = '+14155550123';
const CALLER_NAME = 'Ada Lovelace';

/** `[data-testid="id"]` */
const tid = (id) => `[data-testid="${id}"]`;

/** A RegExp matching exactly `text` (surrounding white space allowed). */
const exactly = (text) => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);

/** Runs `cti-adapter simulate ARGS --port PORT`; fails the test unless it exits 0. */
async function simulateOn(port, ...args) {
  const result = await runCli(ADAPTER_BIN, ['simulate', ...args, '--port', String(port)]);
  assert.equal(result.code, 0,
    `simulate ${args.join(' ')} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result.stdout;
}

/** Opens the softphone at `url` in a new tab, collecting its console errors; waits until connected. */
async function openSoftphone(context, url, consoleErrors) {
  const p = await context.newPage();
  p.setDefaultTimeout(10000);
  p.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(`${msg.text()} (${msg.location().url || 'page'})`);
  });
  p.on('pageerror', (err) => consoleErrors.push(`uncaught: ${err.message}`));
  await p.goto(url);
  await p.locator(`${tid('connection-status')}[data-state="connected"]`).waitFor();
  return p;
}

describe('softphone page in headless Chromium', NEEDS_ADAPTER, () => {
  let tmp;
  let configPath;
  let adapter;
  let browser;
  let context;
  let page;
  let port;
  const consoleErrors = [];

  const simulate = (...args) => simulateOn(port, ...args);

  /** Rings the page with a simulated incoming call; returns its call id. */
  async function ring(number = CALLER_NUMBER, name = CALLER_NAME) {
    const stdout = await simulate('incoming', number, '--name', name);
    const callId = parseCallId(stdout);
    assert.ok(callId, `simulate incoming printed no call id: ${JSON.stringify(stdout)}`);
    return callId;
  }

  const incomingCard = (callId) => page.locator(`${tid('incoming-call')}[data-call-id="${callId}"]`);
  const activeCard = (callId) => page.locator(`${tid('active-call')}[data-call-id="${callId}"]`);
  const recentItem = (callId) => page.locator(`${tid('recent-call')}[data-call-id="${callId}"]`);

  /** Waits until `locator` (its first match) has exactly `text`. */
  async function waitForText(locator, text, options = {}) {
    await locator.filter({ hasText: exactly(text) }).first().waitFor(options);
  }

  /** Waits until the error area is hidden, i.e. no command error is shown. */
  async function expectNoError() {
    await page.locator(tid('error-message')).waitFor({ state: 'hidden' });
  }

  /** Answers a ringing call from the page and waits for it to be connected. */
  async function answer(callId) {
    await incomingCard(callId).locator(tid('answer')).click();
    await activeCard(callId).and(page.locator('[data-state="connected"]')).waitFor();
  }

  before(async () => {
    assert.ok(existsSync(ADAPTER_BIN), `CTI_ADAPTER_BIN=${ADAPTER_BIN} does not exist`);
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium package (or set CHROMIUM_BIN)`);
    tmp = await mkdtemp(join(tmpdir(), 'cti-browser-'));
    configPath = join(tmp, 'config.json');
    await writeFile(configPath, JSON.stringify({
      log_file: join(tmp, 'adapter.log'),
      call_log_file: join(tmp, 'call-log.sqlite3'),
      simulator: { answer_after_ms: 200, busy_numbers: [BUSY_NUMBER] },
    }, null, 2));
    adapter = await startAdapter(ADAPTER_BIN, { configPath, port: 0 });
    port = adapter.port;

    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 420, height: 1000 } });
    page = await context.newPage();
    page.setDefaultTimeout(10000);
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      consoleErrors.push(`${msg.text()} (${msg.location().url || 'page'})`);
    });
    page.on('pageerror', (err) => consoleErrors.push(`uncaught: ${err.message}`));
  });

  after(async () => {
    // Each step runs even when an earlier one fails, so nothing is left running.
    await browser?.close().catch(() => {});
    await adapter?.stop().catch(() => {});
    if (tmp) await rm(tmp, { recursive: true, force: true }).catch(() => {});
  });

  test('the page loads without console errors, connected to the simulator', async () => {
    await page.goto(adapter.url);
    const status = page.locator(tid('connection-status'));
    await page.locator(`${tid('connection-status')}[data-state="connected"]`).waitFor();
    assert.equal(await status.getAttribute('data-port'), String(port));
    await waitForText(page.locator(tid('connection-text')), 'Connected');
    await waitForText(page.locator(tid('driver-name')), 'simulator');
    await waitForText(page.locator(tid('driver-status')), 'connected');
    assert.equal(await page.locator(tid('error-message')).isHidden(), true);
    assert.deepEqual(consoleErrors, []);
  });

  let callId;

  test('an incoming call pops with the caller name and number', async () => {
    callId = await ring();
    const card = incomingCard(callId);
    await card.waitFor();
    await waitForText(card.locator(tid('caller-name')), CALLER_NAME);
    await waitForText(card.locator(tid('caller-number')), CALLER_NUMBER);
    assert.equal(await card.getAttribute('data-direction'), 'inbound');
    assert.equal(await card.locator(tid('answer')).isVisible(), true);
    assert.equal(await card.locator(tid('decline')).isVisible(), true);
    // The pop lives in a live region, so screen readers announce it.
    assert.equal(await page.locator(tid('incoming-calls')).getAttribute('aria-live'), 'assertive');
  });

  test('Answer connects the call', async () => {
    await answer(callId);
    await waitForText(activeCard(callId).locator(tid('call-state')), 'connected');
    await incomingCard(callId).waitFor({ state: 'detached' });
    // A connected call offers Hold, Hang up, Transfer and the DTMF keypad, and its time runs.
    const card = activeCard(callId);
    for (const id of ['hold', 'hangup', 'transfer-to', 'transfer', 'dtmf-1', 'dtmf-*', 'dtmf-#']) {
      assert.equal(await card.locator(tid(id)).isVisible(), true, `${id} is visible`);
    }
    await page.waitForFunction(
      (id) => /^\d+:\d\d$/.test(document.querySelector(`[data-testid="active-call"][data-call-id="${id}"] [data-testid="call-duration"]`)?.textContent ?? ''),
      callId,
    );
    await waitForText(card.locator(tid('call-party-name')), CALLER_NAME);
  });

  test('Hold puts the call on hold and Resume takes it back', async () => {
    const card = activeCard(callId);
    await card.locator(tid('hold')).click();
    await card.and(page.locator('[data-state="held"]')).waitFor();
    await waitForText(card.locator(tid('call-state')), 'held');
    assert.equal(await card.locator(tid('dtmf-5')).isVisible(), false, 'no keypad on hold');

    await card.locator(tid('resume')).click();
    await card.and(page.locator('[data-state="connected"]')).waitFor();
    await waitForText(card.locator(tid('call-state')), 'connected');
    await card.locator(tid('hold')).waitFor();
    await expectNoError();
  });

  test('a DTMF key sends its tone without an error', async () => {
    const card = activeCard(callId);
    await card.locator(tid('dtmf-5')).click();
    await waitForText(card.locator(tid('dtmf-sent')), '5');
    await card.locator(tid('dtmf-#')).click();
    await waitForText(card.locator(tid('dtmf-sent')), '5#');
    await expectNoError();
  });

  test('Hang up ends the call and lists it with reason normal', async () => {
    await activeCard(callId).locator(tid('hangup')).click();
    await activeCard(callId).waitFor({ state: 'detached' });
    await waitForText(recentItem(callId).locator(tid('recent-reason')), 'normal');
    await waitForText(recentItem(callId).locator(tid('recent-party')), CALLER_NAME);
    await page.locator(tid('no-active-calls')).waitFor();
  });

  test('Decline ends a new incoming call with reason rejected', async () => {
    const declined = await ring('+14155550124', 'Charles Babbage');
    await incomingCard(declined).locator(tid('decline')).click();
    await incomingCard(declined).waitFor({ state: 'detached' });
    await waitForText(recentItem(declined).locator(tid('recent-reason')), 'rejected');
    assert.equal(await activeCard(declined).count(), 0);
  });

  test('the dial pad dials: dialing, then connected', async () => {
    // Record every state an active-call card shows, since "dialing" lasts only 200 ms.
    await page.evaluate(() => {
      window.__cardStates = [];
      const record = () => {
        for (const card of document.querySelectorAll('[data-testid="active-call"]')) {
          const entry = `${card.querySelector('[data-testid="call-party"]')?.textContent}|${card.dataset.state}`;
          if (!window.__cardStates.includes(entry)) window.__cardStates.push(entry);
        }
      };
      new MutationObserver(record).observe(document.body, {
        subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'],
      });
    });
    await page.locator(tid('dial-input')).fill('+');
    for (const digit of '14155550100') await page.locator(tid(`dialpad-${digit}`)).click();
    assert.equal(await page.locator(tid('dial-input')).inputValue(), '+14155550100');
    await page.locator(tid('dial')).click();

    const card = page.locator(tid('active-call'), { hasText: '+14155550100' });
    await card.and(page.locator('[data-state="connected"]')).waitFor();
    await waitForText(card.locator(tid('call-state')), 'connected');
    const states = await page.evaluate(() => window.__cardStates.filter((s) => s.includes('+14155550100')));
    assert.deepEqual(states.map((s) => s.split('|')[1]), ['dialing', 'connected']);
    assert.equal(await page.locator(tid('dial-input')).inputValue(), '', 'the number is cleared after dialing');
    await expectNoError();

    const dialedId = await card.getAttribute('data-call-id');
    await card.locator(tid('hangup')).click();
    await waitForText(recentItem(dialedId).locator(tid('recent-reason')), 'normal');
  });

  test('a dial that does not go through says why, and leaves nothing to wrap up', async () => {
    const pendingBefore = await page.locator(tid('pending-logs')).getAttribute('data-count');
    await page.locator(tid('dial-input')).fill(BUSY_NUMBER);
    await page.locator(tid('dial')).click();
    const outcome = page.locator(tid('dial-outcome'));
    await outcome.filter({ hasText: 'is busy' }).waitFor();
    assert.equal((await outcome.textContent()).trim(), `${BUSY_NUMBER} is busy (the number is in simulator.busy_numbers)`);

    const recent = page.locator(tid('recent-call')).first();
    await waitForText(recent.locator(tid('recent-reason')), 'busy');
    await waitForText(recent.locator(tid('recent-detail')), 'the number is in simulator.busy_numbers');
    // Its call log is written (the history lists it, with the reason) but waits for no wrap-up.
    const callId = await recent.getAttribute('data-call-id');
    const logged = page.locator(`${tid('history-item')}[data-log-id="${callId}"]`);
    await waitForText(logged.locator(tid('history-end-detail')), 'the number is in simulator.busy_numbers');
    assert.equal(await logged.getAttribute('data-acknowledged'), 'true');
    assert.equal(await page.locator(`${tid('pending-log')}[data-log-id="${callId}"]`).count(), 0);
    assert.equal(await page.locator(tid('pending-logs')).getAttribute('data-count'), pendingBefore);
    await expectNoError();

    // The next dial clears the old outcome.
    await page.locator(tid('dial-input')).fill('+14155550167');
    await page.locator(tid('dial')).click();
    await outcome.waitFor({ state: 'hidden' });
    const card = page.locator(tid('active-call'), { hasText: '+14155550167' });
    await card.and(page.locator('[data-state="connected"]')).waitFor();
    await card.locator(tid('hangup')).click();
    await card.waitFor({ state: 'detached' });
  });

  test('an invalid number shows the adapter error code and message', async () => {
    await page.locator(tid('dial-input')).fill('12a@4');
    await page.locator(tid('dial')).click();
    const error = page.locator(tid('error-message'));
    await error.waitFor({ state: 'visible' });
    await waitForText(error.locator(tid('error-code')), 'invalid_number');
    assert.notEqual((await error.locator(tid('error-text')).textContent()).trim(), '');
    await error.locator(tid('error-dismiss')).click();
    await expectNoError();
    await page.locator(tid('dial-input')).fill('');
  });

  test('clicking the sample tel: link dials its number', async () => {
    const before = page.url();
    await page.locator(tid('sample-tel-link')).click();
    const card = page.locator(tid('active-call'), { hasText: '+14155550199' });
    await card.waitFor();
    await card.and(page.locator('[data-state="connected"]')).waitFor();
    assert.equal(page.url(), before, 'the link did not navigate');
    await expectNoError();
    const id = await card.getAttribute('data-call-id');
    await card.locator(tid('hangup')).click();
    await waitForText(recentItem(id).locator(tid('recent-reason')), 'normal');
  });

  test('Transfer hands a connected call over without an error', async () => {
    const transferred = await ring('+14155550125', 'Grace Hopper');
    await incomingCard(transferred).waitFor();
    await answer(transferred);
    const card = activeCard(transferred);
    await card.locator(tid('transfer-to')).fill('+1 415 555 0200');
    await card.locator(tid('transfer')).click();
    // Done when the call has left this phone, or the command has finished.
    await page.waitForFunction((id) => {
      const el = document.querySelector(`[data-testid="active-call"][data-call-id="${id}"]`);
      return !el || !el.querySelector('[data-testid="transfer"]').disabled;
    }, transferred);
    await expectNoError();
    if (await card.count()) {
      await card.locator(tid('hangup')).click();
      await card.waitFor({ state: 'detached' });
    }
  });

  test('no console errors while handling calls', () => {
    assert.deepEqual(consoleErrors, []);
  });

  test('cti.js resumes the same run after a drop and gets the events it missed', async () => {
    // A second client in the page, loaded from the adapter like any page would.
    const lastSeq = await page.evaluate(async (adapterPort) => {
      const { CtiClient } = await import('/cti.js');
      const client = new CtiClient({ ports: [adapterPort], reconnectDelayMs: 1000, maxReconnectDelayMs: 1000 });
      window.__resume = { client, ended: [], sent: [], states: [] };
      client.on('call.ended', (ev) => window.__resume.ended.push(`${ev.call.id}:${ev.reason}`));
      client.on('connection', (info) => window.__resume.states.push(info.state));
      await client.connect();
      return client.lastSeq;
    }, port);
    assert.ok(Number.isInteger(lastSeq));

    const missed = await ring('+14155550128', 'Hedy Lamarr');
    await page.waitForFunction((id) => !!window.__resume.client.getCall(id), missed);
    const seqBeforeDrop = await page.evaluate(() => {
      const { client, sent } = window.__resume;
      // Drop the connection from the client's side and record what the client sends next.
      const ws = client._ws;
      ws.close();
      const WS = window.WebSocket;
      const send = WS.prototype.send;
      window.__resume.restore = () => { WS.prototype.send = send; };
      WS.prototype.send = function record(text) {
        sent.push(JSON.parse(text));
        return send.call(this, text);
      };
      return client.lastSeq;
    });
    await page.waitForFunction(() => window.__resume.states.at(-1) === 'disconnected');
    // The caller gives up while this client is away.
    await simulate('remote_hangup', missed);
    await page.waitForFunction(() => window.__resume.states.at(-1) === 'connected');
    await page.waitForFunction((id) => window.__resume.ended.some((e) => e.startsWith(`${id}:`)), missed);

    const { ended, sent, epoch, hasCall } = await page.evaluate((id) => {
      const r = window.__resume;
      const result = { ended: r.ended, sent: r.sent, epoch: r.client.epoch, hasCall: !!r.client.getCall(id) };
      r.client.close();
      r.restore();
      return result;
    }, missed);
    assert.deepEqual(ended.filter((e) => e.startsWith(`${missed}:`)), [`${missed}:missed`], 'reported once');
    assert.equal(hasCall, false);
    const resume = sent.find((f) => f.type === 'resume');
    assert.ok(resume, `a session resume was sent: ${JSON.stringify(sent)}`);
    assert.equal(resume.epoch, epoch);
    assert.equal(resume.after_seq, seqBeforeDrop);
    // The softphone's own client saw the same call end.
    await waitForText(recentItem(missed).locator(tid('recent-reason')), 'missed');
  });

  test('after an adapter restart on the same port the page reconnects by itself', async () => {
    // A call ringing in the old run must not survive into the new one.
    const ringingBefore = await ring('+14155550126', 'Alan Turing');
    await incomingCard(ringingBefore).waitFor();

    await adapter.stop();
    await page.locator(`${tid('connection-status')}[data-state="disconnected"]`).waitFor();
    await waitForText(page.locator(tid('connection-text')), 'Disconnected');

    adapter = await startAdapter(ADAPTER_BIN, { configPath, port });
    assert.equal(adapter.port, port, 'the adapter came back on the same port');
    await page.locator(`${tid('connection-status')}[data-state="connected"]`).waitFor({ timeout: 30000 });
    await waitForText(page.locator(tid('driver-status')), 'connected');
    await incomingCard(ringingBefore).waitFor({ state: 'detached' });

    // The new run's events reach the page.
    const fresh = await ring('+14155550127', 'Katherine Johnson');
    await waitForText(incomingCard(fresh).locator(tid('caller-name')), 'Katherine Johnson');
    await incomingCard(fresh).locator(tid('decline')).click();
    await waitForText(recentItem(fresh).locator(tid('recent-reason')), 'rejected');
  });

  test('a page from a foreign origin can neither connect nor read the status', async () => {
    const ctiSource = await ctiClientFiles();
    const html = `<!doctype html><meta charset="utf-8"><title>foreign</title>
<script type="module">
  import { CtiClient } from './cti.js';
  const results = window.results = { states: [], raw: [], status: null };
  const client = new CtiClient({ ports: [${port}], reconnectDelayMs: 600000 });
  client.on('connection', (info) => results.states.push(info.state));
  client.connect();
  const ws = new WebSocket('ws://127.0.0.1:${port}/ws');
  ws.onopen = () => results.raw.push('open');
  ws.onmessage = () => results.raw.push('message');
  ws.onclose = (ev) => results.raw.push('close');
  fetch('http://127.0.0.1:${port}/status').then(
    (res) => { results.status = 'read ' + res.status; },
    () => { results.status = 'blocked'; });
</script>`;
    const server = createServer((req, res) => {
      if (ctiSource.has(req.url)) {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
        res.end(ctiSource.get(req.url));
      } else if (req.url === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(html);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const foreign = await context.newPage();
    try {
      await foreign.goto(`http://127.0.0.1:${server.address().port}/`);
      await foreign.waitForFunction(() => window.results
        && window.results.states.includes('disconnected')
        && window.results.raw.includes('close')
        && window.results.status !== null);
      const results = await foreign.evaluate(() => window.results);
      assert.ok(!results.states.includes('connected'), `states: ${results.states}`);
      assert.ok(!results.raw.includes('open'), 'the WebSocket upgrade was refused');
      assert.equal(results.status, 'blocked');
    } finally {
      await foreign.close();
      server.closeAllConnections();
      server.close();
    }
  });
});

// =============================================================================================
// 3. Call logs in the softphone page: wrap-up and history, against a fresh adapter and journal
// =============================================================================================

describe('call logs in the softphone page', NEEDS_ADAPTER, () => {
  const DISPOSITIONS = ['Resolved', 'Follow-up needed', 'Voicemail', 'Wrong number', 'Other'];
  const PAGE_WIDTH = 360;

  let tmp;
  let adapter;
  let port;
  let browser;
  let context;
  /** The page that stays open from test (a) on. */
  let page;
  const consoleErrors = [];

  const simulate = (...args) => simulateOn(port, ...args);

  /** A call that rings and is given up by the caller; resolves once the CLI saw it end. */
  async function missedCall(number, name) {
    const callId = parseCallId(await simulate('incoming', number, '--name', name));
    assert.ok(callId, `simulate incoming printed no call id for ${number}`);
    await simulate('remote_hangup', callId);
    return callId;
  }

  /** Opens the softphone in a new tab and waits until it is connected (snapshot applied). */
  const openPage = () => openSoftphone(context, adapter.url, consoleErrors);

  const pendingLog = (p, logId) => p.locator(`${tid('pending-log')}[data-log-id="${logId}"]`);
  const historyItem = (p, logId) => p.locator(`${tid('history-item')}[data-log-id="${logId}"]`);
  const pendingCount = (p, n) => p.locator(`${tid('pending-logs')}[data-count="${n}"]`).waitFor({ state: 'attached' });

  async function waitForText(locator, text, options = {}) {
    await locator.filter({ hasText: exactly(text) }).first().waitFor(options);
  }

  /** The testid of the focused element. */
  const focused = (p) => p.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);

  before(async () => {
    assert.ok(existsSync(ADAPTER_BIN), `CTI_ADAPTER_BIN=${ADAPTER_BIN} does not exist`);
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium package (or set CHROMIUM_BIN)`);
    tmp = await mkdtemp(join(tmpdir(), 'cti-browser-logs-'));
    const configPath = join(tmp, 'config.json');
    await writeFile(configPath, JSON.stringify({
      log_file: join(tmp, 'adapter.log'),
      call_log_file: join(tmp, 'call-log.sqlite3'),
      simulator: { answer_after_ms: 200 },
      // The missed calls these tests ring wait for a wrap-up like talked ones.
      agent: { wrap_up_unanswered: true },
    }, null, 2));
    adapter = await startAdapter(ADAPTER_BIN, { configPath, port: 0 });
    port = adapter.port;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: PAGE_WIDTH, height: 900 } });
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await adapter?.stop().catch(() => {});
    if (tmp) await rm(tmp, { recursive: true, force: true }).catch(() => {});
  });

  let graceLog;
  let adaLog;

  test('a call that rang and ended while no page was open is pending when a page connects', async () => {
    // No page exists yet: the call rings and the caller gives up; the CLI exits after each step.
    graceLog = await missedCall('+14155550777', 'Grace Hopper');

    page = await openPage();
    const item = pendingLog(page, graceLog);
    await item.waitFor();
    await pendingCount(page, 1);
    await waitForText(item.locator(tid('log-party')), 'Grace Hopper');
    await waitForText(item.locator(tid('log-number')), '+14155550777');
    await waitForText(item.locator(tid('log-call-type')), 'Inbound');
    await waitForText(item.locator(tid('log-end-reason')), 'missed');
    await waitForText(item.locator(tid('log-duration')), '0:00');
    assert.equal(await page.locator(tid('no-pending-logs')).isHidden(), true);

    // Labelled controls, the five dispositions, a Save button.
    const disposition = item.locator(tid('log-disposition'));
    assert.deepEqual(await disposition.locator('option').allTextContents(), DISPOSITIONS);
    assert.equal(await item.getByLabel('Disposition').getAttribute('data-testid'), 'log-disposition');
    assert.equal(await item.getByLabel('Notes').getAttribute('data-testid'), 'log-notes');
    assert.equal(await item.locator(tid('log-save')).isVisible(), true);

    // The history has it too, not wrapped up yet.
    await historyItem(page, graceLog).waitFor();
    assert.equal(await historyItem(page, graceLog).getAttribute('data-acknowledged'), 'false');

    // Readable at 360 px: nothing sticks out sideways.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the ${PAGE_WIDTH}px window`);
  });

  test('a call ending while the page is open joins the wrap-up list, newest first', async () => {
    adaLog = await missedCall('+14155550778', 'Ada Lovelace');
    await pendingLog(page, adaLog).waitFor();
    await pendingCount(page, 2);
    const order = await page.locator(tid('pending-log')).evaluateAll((els) => els.map((el) => el.dataset.logId));
    assert.deepEqual(order, [adaLog, graceLog]);
    await historyItem(page, adaLog).waitFor();
  });

  test('the wrap-up saves disposition and notes from the keyboard; a fresh page no longer shows it', async () => {
    const item = pendingLog(page, graceLog);
    // The older wrap-up is folded under the newest: unfold it.
    assert.equal(await item.isHidden(), true);
    await page.locator(tid('pending-more')).click();
    await item.waitFor({ state: 'visible' });

    // Focus order: disposition, notes, Save.
    await item.locator(tid('log-disposition')).focus();
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'log-notes');
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'log-save');

    await item.locator(tid('log-disposition')).selectOption('Follow-up needed');
    await item.locator(tid('log-notes')).focus();
    await page.keyboard.type('Asked about the invoice.');
    await page.keyboard.press('Shift+Enter'); // a new line, not a save
    await page.keyboard.type('Call back on Monday.');
    assert.equal(await item.count(), 1);
    await page.keyboard.press('Enter'); // saves
    await item.waitFor({ state: 'detached' });
    await pendingCount(page, 1);
    await page.locator(tid('error-message')).waitFor({ state: 'hidden' });
    // The focus went on to the next wrap-up rather than getting lost.
    assert.equal(await focused(page), 'log-disposition');

    // This page's history shows the wrap-up (from call_log.saved).
    await waitForText(historyItem(page, graceLog).locator(tid('history-disposition')), 'Follow-up needed');

    // A freshly loaded page: Ada's log is still pending, Grace's is not.
    const fresh = await openPage();
    try {
      await pendingLog(fresh, adaLog).waitFor();
      await pendingCount(fresh, 1);
      assert.equal(await pendingLog(fresh, graceLog).count(), 0);
      // Its history (loaded with `history`) has the saved record with disposition and notes.
      const saved = historyItem(fresh, graceLog);
      await waitForText(saved.locator(tid('history-disposition')), 'Follow-up needed');
      assert.equal(await saved.getAttribute('data-acknowledged'), 'true');
      assert.equal((await saved.locator(tid('history-notes')).textContent()).trim(),
        'Asked about the invoice.\nCall back on Monday.');
      await waitForText(historyItem(fresh, adaLog).locator(tid('history-disposition')), 'Not wrapped up');

      // Saved with the mouse on the fresh page, it leaves the first page too.
      const ada = pendingLog(fresh, adaLog);
      await ada.locator(tid('log-disposition')).selectOption('Voicemail');
      await ada.locator(tid('log-save')).click();
      await ada.waitFor({ state: 'detached' });
      await pendingLog(page, adaLog).waitFor({ state: 'detached' });
      await pendingCount(page, 0);
      await page.locator(tid('no-pending-logs')).waitFor();
      await waitForText(historyItem(page, adaLog).locator(tid('history-disposition')), 'Voicemail');
    } finally {
      await fresh.close();
    }
  });

  test('a failed save shows the adapter error and keeps the wrap-up', async () => {
    const logId = await missedCall('+14155550779', 'Alan Turing');
    const item = pendingLog(page, logId);
    await item.waitFor();
    // 3000 euro signs are 9000 bytes of UTF-8: over the adapter's 8000-byte limit for notes.
    await item.locator(tid('log-notes')).fill('€'.repeat(3000));
    await item.locator(tid('log-save')).click();
    const error = page.locator(tid('error-message'));
    await error.waitFor({ state: 'visible' });
    await waitForText(error.locator(tid('error-code')), 'bad_request');
    assert.match(await error.locator(tid('error-action')).textContent(), /Save/);
    assert.equal(await item.count(), 1, 'still pending');
    assert.equal(await item.locator(tid('log-save')).isEnabled(), true);

    await item.locator(tid('log-notes')).fill('Short note');
    await item.locator(tid('log-save')).click();
    await item.waitFor({ state: 'detached' });
    await page.locator(tid('error-message')).waitFor({ state: 'hidden' });
  });

  test('History pages newest first with More', async () => {
    // Eleven more calls, so the history (10 a page) has more than one page.
    const steps = [];
    for (let i = 0; i < 11; i++) {
      const call = `c${i}`;
      steps.push({ at_ms: i * 20, action: 'incoming', call, from: `+1415555091${String(i).padStart(2, '0')}`, name: `Caller ${i}` });
      steps.push({ at_ms: i * 20 + 10, action: 'remote_hangup', call });
    }
    const file = join(tmp, 'eleven-calls.json');
    await writeFile(file, JSON.stringify({ name: 'eleven missed calls', steps }));
    await simulate('scenario', file);
    await pendingCount(page, 11); // the open page saw all of them end

    const fresh = await openPage();
    try {
      const items = fresh.locator(tid('history-item'));
      const more = fresh.locator(tid('history-more'));
      await more.waitFor({ state: 'visible' });
      assert.equal(await items.count(), 10);
      const cursors = async () => items.evaluateAll((els) => els.map((el) => Number(el.dataset.cursor)));
      const first = await cursors();
      assert.deepEqual(first, [...first].sort((a, b) => b - a), 'newest first');

      // More, from the keyboard: the rest arrives and More goes away.
      await more.focus();
      await fresh.keyboard.press('Enter');
      await more.waitFor({ state: 'hidden' });
      assert.equal(await items.count(), 14, '3 calls from the earlier tests + 11');
      const all = await cursors();
      assert.deepEqual(all, [...all].sort((a, b) => b - a), 'still newest first');
      assert.equal(new Set(all).size, all.length, 'no record twice');
      assert.deepEqual(all.slice(0, 10), first);
      assert.equal(await items.last().getAttribute('data-log-id'), graceLog, 'the oldest is last');
      // The keyboard user lands on the first record of the new page.
      assert.equal(await focused(fresh), 'history-item');
    } finally {
      await fresh.close();
    }
  });

  test('many wrap-ups fold into a count with the newest open, and the dialler stays in reach', async () => {
    // The eleven calls of the History test wait for their wrap-up.
    await pendingCount(page, 11);
    const cards = page.locator(tid('pending-log'));
    const ids = await cards.evaluateAll((els) => els.map((el) => el.dataset.logId));
    const newest = pendingLog(page, ids[0]);
    assert.equal(await newest.isVisible(), true);
    for (const id of ids.slice(1)) assert.equal(await pendingLog(page, id).isHidden(), true, `${id} is folded`);
    const more = page.locator(tid('pending-more'));
    await waitForText(more, '10 more to wrap up');
    assert.equal(await more.getAttribute('aria-expanded'), 'false');

    // How far below the top of the wrap-up list the number field is: one wrap-up and the count
    // (eleven open wrap-ups put it thousands of pixels down a 360 px panel).
    const dialBelowList = () => page.evaluate(() => {
      const top = (id) => document.querySelector(`[data-testid="${id}"]`).getBoundingClientRect().top;
      return top('dial-input') - top('pending-logs');
    });
    const cardHeight = await newest.evaluate((el) => el.getBoundingClientRect().height);
    const moreHeight = await more.evaluate((el) => el.getBoundingClientRect().height);
    const folded = await dialBelowList();
    assert.ok(folded <= cardHeight + moreHeight + 160,
      `the dial input is ${folded}px below the wrap-up list's top (a wrap-up is ${cardHeight}px)`);

    await more.click();
    for (const id of ids) await pendingLog(page, id).waitFor({ state: 'visible' });
    await waitForText(more, 'Show only the newest');
    assert.equal(await more.getAttribute('aria-expanded'), 'true');
    assert.ok(await dialBelowList() > folded + 9 * cardHeight, 'unfolded, every wrap-up takes its room');
    await more.click();
    assert.equal(await pendingLog(page, ids[1]).isHidden(), true);

    // Saving the newest opens the next newest; with none left there is nothing to unfold.
    for (const id of ids) {
      const card = pendingLog(page, id);
      await card.waitFor({ state: 'visible' });
      await card.locator(tid('log-save')).click();
      await card.waitFor({ state: 'detached' });
    }
    await pendingCount(page, 0);
    assert.equal(await more.isHidden(), true);
  });

  test('no console errors on the call-log pages', () => {
    assert.deepEqual(consoleErrors, []);
  });
});

// =============================================================================================
// 4. Screen pops from the directory file, the agent-state selector, and a call that ends while
//    the adapter is killed and restarted with no page open
// =============================================================================================

/** Where screenshots go: $CTI_BROWSER_ARTIFACTS (the build tree, from CTest) or ./artifacts. */
const ARTIFACTS = process.env.CTI_BROWSER_ARTIFACTS || join(HERE, 'artifacts');

describe('screen pops and agent state in the softphone page', NEEDS_ADAPTER, () => {
  const PAGE_WIDTH = 300; // a CRM utility panel
  const CONTACTS = [
    'id,name,number,company',
    'C-100,Ada Lovelace,(415) 555-0123,"Analytical Engines, Ltd"',
    'C-200,Grace Hopper,+1 415 555 0199,US Navy',
    'C-201,Grace Hopper (home),1-415-555-0199,',
    'C-300,broken row without a company',
  ].join('\n');

  let tmp;
  let configPath;
  let contactsPath;
  let adapter;
  let port;
  let browser;
  let context;
  let page;
  const consoleErrors = [];

  const simulate = (...args) => simulateOn(port, ...args);

  async function ring(number, name = '') {
    const callId = parseCallId(await simulate('incoming', number, ...(name ? ['--name', name] : [])));
    assert.ok(callId, `simulate incoming printed no call id for ${number}`);
    return callId;
  }

  const openPage = () => openSoftphone(context, adapter.url, consoleErrors);

  const popCard = (p, callId) => p.locator(`${tid('screen-pop')}[data-call-id="${callId}"]`);

  /** Declines a ringing call from the page, so the next test starts with none. */
  async function decline(callId) {
    await page.locator(`${tid('incoming-call')}[data-call-id="${callId}"]`).locator(tid('decline')).click();
    await page.locator(`${tid('incoming-call')}[data-call-id="${callId}"]`).waitFor({ state: 'detached' });
  }

  before(async () => {
    assert.ok(existsSync(ADAPTER_BIN), `CTI_ADAPTER_BIN=${ADAPTER_BIN} does not exist`);
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium package (or set CHROMIUM_BIN)`);
    await mkdir(ARTIFACTS, { recursive: true });
    tmp = await mkdtemp(join(tmpdir(), 'cti-browser-pop-'));
    configPath = join(tmp, 'config.json');
    contactsPath = join(tmp, 'contacts.csv');
    await writeFile(contactsPath, CONTACTS);
    await writeFile(configPath, JSON.stringify({
      log_file: join(tmp, 'adapter.log'),
      call_log_file: join(tmp, 'call-log.sqlite3'),
      simulator: { answer_after_ms: 200 },
      agent: { wrap_up_seconds: 30 },
      screen_pop: {
        country_code: '1',
        trunk_prefix: '1',
        directory_file: contactsPath,
        inbound: {
          fields: ['from_number', 'contact.company'],
          no_match: { pop: 'new_record', url: 'https://crm.example.com/contacts/new?phone={number}' },
          single_match: { pop: 'record', url: 'https://crm.example.com/contacts/{id}' },
          multiple_matches: { pop: 'search', url: 'https://crm.example.com/search?q={number}' },
        },
      },
    }, null, 2));
    adapter = await startAdapter(ADAPTER_BIN, { configPath, port: 0 });
    port = adapter.port;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: PAGE_WIDTH, height: 900 } });
    page = await openPage();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await adapter?.stop().catch(() => {});
    if (tmp) await rm(tmp, { recursive: true, force: true }).catch(() => {});
  });

  test('an inbound call pops within a second with the contact from the directory file', async () => {
    const callId = await ring('+14155550123', 'ADA L');
    // The CLI returns once the call rings; the pop must be on the page within a second of that.
    const card = popCard(page, callId);
    await card.waitFor({ timeout: 1000 });
    assert.equal(await card.getAttribute('data-match'), 'single');
    assert.equal(await card.getAttribute('data-pop-kind'), 'record');
    assert.equal((await card.locator(tid('pop-match-name')).textContent()).trim(), 'Ada Lovelace');
    const link = card.locator(tid('pop-link'));
    assert.equal(await link.getAttribute('href'), 'https://crm.example.com/contacts/C-100');
    assert.equal(await link.getAttribute('target'), '_blank');
    assert.equal((await card.locator(tid('pop-url')).textContent()).trim(), 'https://crm.example.com/contacts/C-100');
    // The configured fields, in order.
    const fields = await card.locator(tid('pop-field')).evaluateAll((els) => els.map((el) => [el.dataset.key, el.textContent]));
    assert.deepEqual(fields, [['from_number', '+14155550123'], ['contact.company', 'Analytical Engines, Ltd']]);
    // Reachable from the keyboard.
    await link.focus();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'pop-link');
    // Readable in a narrow panel: nothing sticks out sideways.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scrolling');
    await page.screenshot({ path: join(ARTIFACTS, 'screen-pop-single-match.png'), fullPage: true });
    await decline(callId);
  });

  test('several matches pop the search, no match the new record', async () => {
    const grace = await ring('+14155550199');
    const several = popCard(page, grace);
    await several.waitFor({ timeout: 1000 });
    assert.equal(await several.getAttribute('data-pop-kind'), 'search');
    assert.equal(await several.locator(tid('pop-match')).count(), 2);
    assert.equal(await several.locator(tid('pop-link')).getAttribute('href'), 'https://crm.example.com/search?q=%2B14155550199');
    await decline(grace);

    const stranger = await ring('+14155550100');
    const none = popCard(page, stranger);
    await none.waitFor({ timeout: 1000 });
    assert.equal(await none.getAttribute('data-pop-kind'), 'new_record');
    // No name from the phone system either: the number, and the directory's miss as a detail.
    assert.equal((await none.locator(tid('pop-unknown')).textContent()).trim(), '+14155550100');
    assert.equal((await none.locator(tid('pop-not-found')).textContent()).trim(), 'not in the directory');
    assert.equal((await none.locator(tid('pop-match-count')).textContent()).trim(), '');
    assert.equal(await none.locator(tid('pop-link')).getAttribute('href'),
      'https://crm.example.com/contacts/new?phone=%2B14155550100');
    await page.screenshot({ path: join(ARTIFACTS, 'screen-pop-no-match.png'), fullPage: true });
    await decline(stranger);
  });

  test('a named caller not in the directory pops with the name the phone system gives', async () => {
    const named = await ring('+14155550111', 'Margaret Hamilton');
    const card = popCard(page, named);
    await card.waitFor({ timeout: 1000 });
    assert.equal((await card.locator(tid('pop-unknown')).textContent()).trim(), 'Margaret Hamilton');
    assert.equal((await card.locator(tid('pop-not-found')).textContent()).trim(), 'not in the directory');
    assert.doesNotMatch(await card.textContent(), /Unknown caller|no match/);
    await decline(named);

    // Outbound, the other party is the number dialled, not "Unknown caller".
    const dialled = await runCli(ADAPTER_BIN, ['dial', '+14155550177', '--wait', '0', '--port', String(port)]);
    assert.equal(dialled.code, 0, dialled.stderr);
    const outbound = popCard(page, dialled.stdout.trim());
    await outbound.waitFor({ timeout: 2000 });
    assert.equal((await outbound.locator(tid('pop-unknown')).textContent()).trim(), '+14155550177');
    assert.equal((await outbound.locator(tid('pop-not-found')).textContent()).trim(), 'not in the directory');
    await runCli(ADAPTER_BIN, ['simulate', 'busy', dialled.stdout.trim(), '--port', String(port)]);
  });

  test('a page opened while the phone rings still shows the pop', async () => {
    const callId = await ring('+14155550123', 'ADA L');
    await popCard(page, callId).waitFor({ timeout: 1000 });
    const late = await openPage();
    try {
      const card = popCard(late, callId);
      await card.waitFor({ timeout: 1000 });
      assert.equal(await card.getAttribute('data-pop-kind'), 'record');
      assert.equal((await card.locator(tid('pop-match-name')).textContent()).trim(), 'Ada Lovelace');
    } finally {
      await late.close();
    }
    await decline(callId);
  });

  test('an edited directory file is used for the next call', async () => {
    await writeFile(contactsPath, `${CONTACTS}\nC-400,Katherine Johnson,415 555 0100,NASA\n`);
    const callId = await ring('+14155550100');
    const card = popCard(page, callId);
    await card.waitFor({ timeout: 1000 });
    assert.equal(await card.getAttribute('data-pop-kind'), 'record');
    assert.equal((await card.locator(tid('pop-match-name')).textContent()).trim(), 'Katherine Johnson');
    await decline(callId);
  });

  test('the agent-state selector sets not ready with a reason, and it survives a reload', async () => {
    const agent = page.locator(tid('agent-state'));
    const select = page.locator(tid('agent-select'));
    await page.locator(`${tid('agent-select')}:not([disabled])`).waitFor();
    // From the keyboard: focus the selector and pick the reason.
    await select.focus();
    await select.selectOption('not_ready:Lunch');
    await page.locator(`${tid('agent-state')}[data-state="not_ready"][data-reason="Lunch"]`).waitFor();
    assert.equal(await agent.getAttribute('data-state'), 'not_ready');

    await page.reload();
    await page.locator(`${tid('connection-status')}[data-state="connected"]`).waitFor();
    await page.locator(`${tid('agent-state')}[data-state="not_ready"][data-reason="Lunch"]`).waitFor();
    assert.equal(await page.locator(tid('agent-select')).inputValue(), 'not_ready:Lunch');

    await page.locator(tid('agent-select')).selectOption('ready');
    await page.locator(`${tid('agent-state')}[data-state="ready"]`).waitFor();
  });

  test('after an answered call the selector shows wrap-up counting down', async () => {
    const callId = await ring('+14155550123', 'Ada Lovelace');
    await page.locator(`${tid('incoming-call')}[data-call-id="${callId}"]`).locator(tid('answer')).click();
    const active = page.locator(`${tid('active-call')}[data-call-id="${callId}"]`);
    await active.and(page.locator('[data-state="connected"]')).waitFor();
    await active.locator(tid('hangup')).click();
    await page.locator(`${tid('agent-state')}[data-state="wrap_up"]`).waitFor();
    const countdown = page.locator(tid('agent-countdown'));
    await countdown.waitFor();
    assert.match(await countdown.textContent(), /^0:[0-3]\d left$/);
    await page.screenshot({ path: join(ARTIFACTS, 'softphone-wrap-up.png'), fullPage: true });
    await page.locator(tid('agent-select')).selectOption('ready');
    await page.locator(`${tid('agent-state')}[data-state="ready"]`).waitFor();
  });

  test('a call that ends while the adapter is killed and restarted, with no page open, reaches the page\'s log', async () => {
    await page.close();
    // No page is open. A call rings; the adapter is killed (SIGKILL) while it rings, so the call
    // ends with the adapter's simulated phone system and nothing could be logged at that moment.
    const callId = await ring('+14155550188', 'Dorothy Vaughan');
    await adapter.kill();
    adapter = await startAdapter(ADAPTER_BIN, { configPath, port });
    assert.equal(adapter.port, port);

    page = await openPage();
    const log = page.locator(`${tid('pending-log')}[data-log-id="${callId}"]`);
    await log.waitFor();
    assert.equal((await log.locator(tid('log-party')).textContent()).trim(), 'Dorothy Vaughan');
    assert.equal((await log.locator(tid('log-end-reason')).textContent()).trim(), 'driver_lost');
    // And the wrap-up saves it like any other.
    await log.locator(tid('log-save')).click();
    await log.waitFor({ state: 'detached' });
  });

  test('no console errors on the screen-pop pages', () => {
    assert.deepEqual(consoleErrors, []);
  });
});

// =============================================================================================
// 5. A phone that cannot do everything: the page shows only what the driver advertises
// =============================================================================================

describe('the softphone page on a phone with fewer controls', NEEDS_ADAPTER, () => {
  let tmp;
  let adapter;
  let browser;
  let context;
  const consoleErrors = [];

  /** Starts an adapter whose simulator advertises only `capabilities`; opens the page. */
  async function start(capabilities) {
    tmp = await mkdtemp(join(tmpdir(), 'cti-browser-controls-'));
    const configPath = join(tmp, 'config.json');
    await writeFile(configPath, JSON.stringify({
      log_file: join(tmp, 'adapter.log'),
      call_log_file: join(tmp, 'call-log.sqlite3'),
      simulator: { answer_after_ms: 100, capabilities },
    }, null, 2));
    adapter = await startAdapter(ADAPTER_BIN, { configPath, port: 0 });
    return openSoftphone(context, adapter.url, consoleErrors);
  }

  /** Rings and answers a call on the phone's side (a scenario step, as a desk phone would). */
  async function answeredOnThePhone() {
    const scenario = join(tmp, 'answered-on-the-phone.json');
    await writeFile(scenario, JSON.stringify({
      name: 'answered on the phone',
      steps: [
        { at_ms: 0, action: 'incoming', call: 'a', from: '+442071234567', name: 'Charles Babbage' },
        { at_ms: 0, action: 'answer', call: 'a' },
      ],
    }));
    await simulateOn(adapter.port, 'scenario', scenario);
  }

  before(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 420, height: 1000 } });
  });

  afterEach(async () => {
    await adapter?.stop().catch(() => {});
    if (tmp) await rm(tmp, { recursive: true, force: true }).catch(() => {});
    adapter = null;
    tmp = null;
  });

  after(async () => {
    await browser?.close().catch(() => {});
    assert.deepEqual(consoleErrors, []);
  });

  test('a watched desk phone (no controls): no buttons that would fail, each missing one said in a word', async () => {
    const page = await start([]);
    // The dialler says where to dial instead of failing with `unsupported`.
    await page.locator(`${tid('dial')}:disabled`).filter({ hasText: exactly('Dial on your phone') }).waitFor();

    const callId = parseCallId(await simulateOn(adapter.port, 'incoming', '+14155550123', '--name', 'Ada Lovelace'));
    const ringing = page.locator(`${tid('incoming-call')}[data-call-id="${callId}"]`);
    await ringing.locator(tid('phone-only')).filter({ hasText: exactly('answer on your phone') }).waitFor();
    assert.equal(await ringing.locator(tid('answer')).isVisible(), false);
    assert.equal(await ringing.locator(tid('decline')).isVisible(), false);

    await answeredOnThePhone();
    const connected = page.locator(`${tid('active-call')}[data-state="connected"]`);
    await connected.locator(tid('phone-only')).filter({ hasText: exactly('hang up on your phone') }).waitFor();
    for (const control of ['hold', 'hangup', 'transfer', 'dtmf-1']) {
      assert.equal(await connected.locator(tid(control)).isVisible(), false, `${control} is shown`);
    }
    await page.close();
  });

  test('ring-only with click-to-dial (decline, dial, hang up): exactly those', async () => {
    const page = await start(['decline', 'dial', 'hangup']);
    await page.locator(`${tid('dial')}:enabled`).filter({ hasText: exactly('Dial') }).waitFor();

    const callId = parseCallId(await simulateOn(adapter.port, 'incoming', '+14155550123', '--name', 'Ada Lovelace'));
    const ringing = page.locator(`${tid('incoming-call')}[data-call-id="${callId}"]`);
    await ringing.locator(tid('decline')).waitFor();
    assert.equal(await ringing.locator(tid('answer')).isVisible(), false);
    assert.equal(await ringing.locator(tid('phone-only')).textContent(), 'answer on your phone');
    await ringing.locator(tid('decline')).click();
    await ringing.waitFor({ state: 'detached' });

    await answeredOnThePhone();
    const connected = page.locator(`${tid('active-call')}[data-state="connected"]`);
    await connected.locator(tid('hangup')).waitFor();
    assert.equal(await connected.locator(tid('phone-only')).isVisible(), false);
    for (const control of ['hold', 'transfer', 'dtmf-1']) {
      assert.equal(await connected.locator(tid(control)).isVisible(), false, `${control} is shown`);
    }
    await connected.locator(tid('hangup')).click();
    await connected.waitFor({ state: 'detached' });
    assert.equal(await page.locator(tid('error-message')).isVisible(), false);
    await page.close();
  });
});
