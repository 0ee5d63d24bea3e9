// `cti-adapter native-host` (docs/BROWSER-EXTENSION.md, "The native messaging host") driven
// through its pipes, the test in the browser's place: native messages in and out, against a real
// adapter on its own XDG_RUNTIME_DIR (so its own Unix socket) and a free port.
//  - an allowed origin opens, gets the adapter's hello, commands and a simulated call's events;
//  - an origin the adapter does not allow is closed with 4403 and nothing else;
//  - each malformed message gets its error and the channel goes on;
//  - no adapter, or the adapter gone while open: close 1006 (1001 for a clean stop);
//  - another user's host is refused by the adapter's SO_PEERCRED check (as root, with setpriv).
// Nothing sleeps: every wait is on a message from the host, its exit or the adapter's log.
//
// Run:  cd tests/browser && CTI_ADAPTER_BIN=/path/to/cti-adapter node --test native_host.test.mjs

import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessSync, constants, statSync } from 'node:fs';
import { chmod, stat } from 'node:fs/promises';
import { delimiter, dirname, join, resolve } from 'node:path';

import { ADAPTER_BIN, AdapterSandbox, NEEDS_ADAPTER } from './adapter_process.mjs';
import { NativeHostProcess, lengthHeader, nativeMessage } from './native_host_process.mjs';

/** The page origins the tests open channels for; only ALLOWED is in the adapter's config. */
const ALLOWED = 'https://crm.example.com';
const NOT_ALLOWED = 'https://elsewhere.example.net';

/** The host's limit for one message from the browser (NativeMessageReader::default_limit). */
const HOST_LIMIT = 1024 * 1024;

/** The user the other-user case runs a host as: nobody, on Debian. */
const OTHER_UID = 65534;

/** `text` matched literally inside a RegExp. */
const literally = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where `name` is on PATH, or null. */
function onPath(name) {
  for (const dir of (process.env.PATH || '').split(delimiter)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch { /* not here */ }
  }
  return null;
}

/** Why another user cannot run `bin` (a folder on its way not searchable by others), or null. */
function otherUserCannotRun(bin) {
  let path = resolve(bin);
  try {
    if (!(statSync(path).mode & 0o001)) return `${path} is not executable by other users`;
    for (path = dirname(path); ; path = dirname(path)) {
      if (!(statSync(path).mode & 0o001)) return `the folder ${path} is not searchable by other users`;
      if (dirname(path) === path) return null;
    }
  } catch (error) {
    return `cannot check ${path}: ${error.message}`;
  }
}

/** test() options for the other-user case: it needs root (to become uid 65534) and setpriv. */
function otherUserSkip() {
  if (!ADAPTER_BIN) return {};
  if (!process.getuid || process.getuid() !== 0) {
    return { skip: 'running a host as another user needs root (setpriv --reuid): run as root to test the SO_PEERCRED refusal' };
  }
  if (!onPath('setpriv')) return { skip: 'setpriv is not on PATH (util-linux): it is what runs the host as another user' };
  const why = otherUserCannotRun(ADAPTER_BIN);
  if (why) return { skip: `uid ${OTHER_UID} cannot run the adapter: ${why}; copy it to a folder others can read` };
  return {};
}

/** Every host a test started; the afterEach below ends those still running. */
const hosts = new Set();

function startHost(sandbox, options = {}) {
  const host = NativeHostProcess.start(ADAPTER_BIN, { env: sandbox.env, ...options });
  hosts.add(host);
  return host;
}

afterEach(async () => {
  await Promise.all([...hosts].map((host) => host.stop()));
  hosts.clear();
});

/** The next message, which must be a frame; resolves with the protocol frame, parsed. */
async function nextFrame(host) {
  const message = await host.next();
  assert.equal(typeof message.frame, 'string', `expected a frame, got ${JSON.stringify(message)}`);
  return JSON.parse(message.frame);
}

/** Frames until one that `accept` takes (events of the adapter may come in between). */
async function frameWhere(host, accept) {
  for (;;) {
    const frame = await nextFrame(host);
    if (accept(frame)) return frame;
  }
}

/** The next message, which must be an error of `code`; resolves with its message text. */
async function expectError(host, code) {
  const message = await host.next();
  assert.equal(message.error?.code, code, `expected the error ${code}, got ${JSON.stringify(message)}`);
  assert.equal(typeof message.error.message, 'string');
  assert.ok(message.error.message.length > 10, `the error ${code} says too little: ${JSON.stringify(message)}`);
  return message.error.message;
}

/** Opens the channel for `origin`: {"open": {}}, then the adapter's first frame (its hello). */
async function openChannel(host, origin = ALLOWED) {
  await host.send({ open: { origin } });
  assert.deepEqual(await host.next(), { open: {} });
  const hello = await nextFrame(host);
  assert.equal(hello.type, 'hello', JSON.stringify(hello));
  assert.equal(hello.product, 'cti-adapter');
  return hello;
}

/** Opens and authenticates with `token`; resolves with the snapshot that follows. */
async function openAttached(host, token) {
  const hello = await openChannel(host);
  assert.equal(hello.auth, 'required', 'a page of another origin gets the short hello first');
  await host.send({ frame: JSON.stringify({ v: 1, type: 'authenticate', id: 'auth', token }) });
  const authenticated = await nextFrame(host);
  assert.deepEqual([authenticated.type, authenticated.id, authenticated.ok], ['result', 'auth', true], JSON.stringify(authenticated));
  assert.equal((await nextFrame(host)).type, 'hello');
  const snapshot = await nextFrame(host);
  assert.equal(snapshot.type, 'snapshot', JSON.stringify(snapshot));
  return snapshot;
}

/**
 * Sends open for `origin` and expects the channel to end at once: the host writes one close,
 * nothing else, and exits 0. Resolves with the close ({code, reason}).
 */
async function expectClosedAtOpen(host, origin = ALLOWED) {
  await host.send({ open: { origin } });
  const { messages, exit } = await host.rest();
  assert.equal(messages.length, 1, `expected only a close, got ${JSON.stringify(messages)}`);
  assert.equal(typeof messages[0].close?.code, 'number', `expected a close, got ${JSON.stringify(messages[0])}`);
  assert.equal(exit.code, 0, `the host exited ${exit.code}: ${host.stderr()}`);
  return messages[0].close;
}

/** Sends a ping command and checks its result: the channel carries commands. */
async function pingWorks(host, id) {
  await host.send({ frame: JSON.stringify({ v: 1, type: 'ping', id }) });
  const pong = await frameWhere(host, (f) => f.type === 'result' && f.id === id);
  assert.equal(pong.ok, true, JSON.stringify(pong));
  assert.match(pong.data.time, /^\d{4}-\d\d-\d\dT/);
}

/** A sandbox whose adapter allows ALLOWED, with a preseeded token for it; not started. */
async function preparedSandbox(prefix) {
  const sandbox = await AdapterSandbox.create(prefix);
  const { token, entry } = await sandbox.newPairingToken(ALLOWED);
  await sandbox.writeConfig({ allowed_origins: [ALLOWED], pairing: { preseeded: [entry] } });
  return { sandbox, token };
}

describe('the native messaging host against a running adapter', NEEDS_ADAPTER, () => {
  let sandbox;
  let adapter;
  let token;

  before(async () => {
    ({ sandbox, token } = await preparedSandbox('cti-native-host-'));
    adapter = await sandbox.start();
  });

  after(() => sandbox?.remove());

  test('an allowed origin opens: hello, a command answered, a simulated call pops', async () => {
    const host = startHost(sandbox);
    const snapshot = await openAttached(host, token);
    await pingWorks(host, 'p1');

    const rang = await sandbox.cli(['simulate', 'incoming', '+14155550123', '--name', 'Ada Lovelace', '--port', String(adapter.port)]);
    assert.equal(rang.code, 0, rang.stderr);
    const ringing = await frameWhere(host, (f) => f.type === 'event' && f.name === 'call.ringing');
    assert.equal(ringing.epoch, snapshot.epoch);
    const pop = await frameWhere(host, (f) => f.type === 'event' && f.name === 'screen_pop');
    assert.equal(pop.number, '+14155550123');
    assert.equal(pop.call_id, ringing.call.id);

    // The browser closes the port: the host closes the WebSocket and exits, writing nothing more.
    const ended = host.rest();
    host.closeInput();
    const { messages, exit } = await ended;
    assert.deepEqual(messages.filter((m) => !m.frame), [], 'nothing but frames still in flight after the browser left');
    assert.equal(exit.code, 0, host.stderr());
  });

  test('an origin the adapter does not allow: close 4403 and nothing else', async () => {
    const close = await expectClosedAtOpen(startHost(sandbox), NOT_ALLOWED);
    assert.equal(close.code, 4403, JSON.stringify(close));
    assert.match(close.reason, /refused this page's origin \(HTTP 403/);
  });

  describe('malformed messages get their error and the host goes on', () => {
    test('before the channel is open: not JSON, the wrong shape, a frame, an open without an origin', async () => {
      const host = startHost(sandbox);
      await host.send('not json {');
      assert.match(await expectError(host, 'not_json'), /not JSON.*"open".*"frame"/);

      for (const wrongShape of [{ hello: 1 }, [], { open: { origin: ALLOWED }, frame: 'x' }, 'null']) {
        await host.send(wrongShape);
        assert.match(await expectError(host, 'bad_message'), /one key/, JSON.stringify(wrongShape));
      }

      await host.send({ frame: JSON.stringify({ v: 1, type: 'ping', id: 'early' }) });
      assert.match(await expectError(host, 'not_open'), /no channel is open yet/);

      for (const badOpen of [{ open: {} }, { open: { origin: '' } }, { open: { origin: 7 } }, { open: 'https://x.example' }]) {
        await host.send(badOpen);
        assert.match(await expectError(host, 'bad_open'), /must carry the page's origin/, JSON.stringify(badOpen));
      }

      // None of them ended the channel: it opens now.
      await openAttached(host, token);
      await pingWorks(host, 'after-errors');
    });

    test('once open: a second open, a frame that is not a string', async () => {
      const host = startHost(sandbox);
      await openAttached(host, token);

      await host.send({ open: { origin: ALLOWED } });
      assert.match(await expectError(host, 'already_open'), /already open/);
      await host.send({ frame: { v: 1, type: 'ping', id: 'object' } });
      assert.match(await expectError(host, 'bad_frame'), /must be a string/);

      await pingWorks(host, 'still-open');
    });

    test('a length over the limit is refused as soon as it is read; its bytes are read past', async () => {
      const host = startHost(sandbox);
      await openAttached(host, token);

      // The header alone: the host must answer before any of the message's bytes arrive.
      await host.writeRaw(lengthHeader(HOST_LIMIT + 1));
      const said = await expectError(host, 'too_big');
      assert.match(said, new RegExp(`${HOST_LIMIT + 1} bytes is over the host's limit of ${HOST_LIMIT} bytes`));
      // The body follows, itself looking like messages: all of it is skipped, none acted on.
      const decoy = nativeMessage({ frame: JSON.stringify({ v: 1, type: 'ping', id: 'decoy' }) });
      const body = Buffer.alloc(HOST_LIMIT + 1, 0x20);
      decoy.copy(body, 0);
      decoy.copy(body, body.length - decoy.length);
      await host.writeRaw(body);

      // Exactly at the limit is accepted: a frame padded with white space to 1 MiB.
      const frame = JSON.stringify({ frame: JSON.stringify({ v: 1, type: 'ping', id: 'at-limit' }) });
      await host.send(frame.padEnd(HOST_LIMIT, ' '));
      const pong = await nextFrame(host);
      assert.deepEqual([pong.type, pong.id, pong.ok], ['result', 'at-limit', true],
        `the first answer after the skipped bytes must be the one at the limit: ${JSON.stringify(pong)}`);
      await pingWorks(host, 'after-too-big');
    });

    test('a 4 GB length is refused at once; the browser leaving mid-message ends the host quietly', async () => {
      const host = startHost(sandbox);
      await host.writeRaw(lengthHeader(0xffffffff));
      assert.match(await expectError(host, 'too_big'), /4294967295 bytes is over the host's limit/);
      const ended = host.rest();
      host.closeInput();
      const { messages, exit } = await ended;
      assert.deepEqual(messages, [], 'the browser has gone: nothing more is written to it');
      assert.equal(exit.code, 0);
      assert.match(host.stderr(), /ended inside a message/);
    });
  });

  test('a host of another user is refused by the peer check even with the socket open to all', otherUserSkip(), async () => {
    const socketFolder = dirname(sandbox.socketPath);
    // Everything on the way opened up, so that no file mode refuses uid 65534: only the
    // adapter's SO_PEERCRED check is left to do it.
    const loosened = [[sandbox.dir, 0o755], [sandbox.runtimeDir, 0o755], [socketFolder, 0o755], [sandbox.socketPath, 0o777]];
    const modes = await Promise.all(loosened.map(async ([path]) => (await stat(path)).mode & 0o777));
    try {
      for (const [path, mode] of loosened) await chmod(path, mode);
      const mark = adapter.outputMark();
      const other = startHost(sandbox, { runAs: ['setpriv', `--reuid=${OTHER_UID}`, `--regid=${OTHER_UID}`, '--clear-groups'] });
      // The adapter closes the connection unanswered: to the host, before the handshake's reply.
      const close = await expectClosedAtOpen(other);
      assert.equal(close.code, 1006, JSON.stringify(close));
      assert.match(close.reason, /closed the connection before accepting it/);
      await adapter.waitForOutput(new RegExp(`refused a connection on ${literally(sandbox.socketPath)} from uid ${OTHER_UID} \\(only uid 0,`), { after: mark });

      // The adapter's own user is still served.
      const own = startHost(sandbox);
      await openAttached(own, token);
      await pingWorks(own, 'own-user');
    } finally {
      for (const [index, [path]] of loosened.entries()) await chmod(path, modes[index]).catch(() => {});
    }
  });
});

describe('the native messaging host with no adapter running', NEEDS_ADAPTER, () => {
  let sandbox;

  before(async () => {
    sandbox = await AdapterSandbox.create('cti-native-host-none-');
  });

  after(() => sandbox?.remove());

  // No socket file at all is the common case: no adapter started yet, or it stopped cleanly and
  // removed its file.
  test('close 1006: no adapter is running for this user, and nothing else', async () => {
    const close = await expectClosedAtOpen(startHost(sandbox));
    assert.deepEqual(close, { code: 1006, reason: 'no cti-adapter is running for this user' });
  });
});

describe('the native messaging host when the adapter goes away', NEEDS_ADAPTER, () => {
  let sandbox;
  let token;

  before(async () => {
    ({ sandbox, token } = await preparedSandbox('cti-native-host-restart-'));
  });

  // Each case starts its own adapter; only one may hold the socket at a time.
  afterEach(() => sandbox.adapter?.stop());

  after(() => sandbox?.remove());

  test('killed while open: close 1006; a new host finds no adapter, then the restarted one', async () => {
    const adapter = await sandbox.start();
    const host = startHost(sandbox);
    const before = await openAttached(host, token);
    await adapter.kill();
    const { messages, exit } = await host.rest();
    const close = messages.at(-1);
    assert.equal(close?.close?.code, 1006, JSON.stringify(messages));
    assert.match(close.close.reason, /connection to the adapter was lost/);
    assert.equal(exit.code, 0, host.stderr());

    // The killed adapter's socket file is left behind; nobody answers on it.
    assert.deepEqual(await expectClosedAtOpen(startHost(sandbox)), { code: 1006, reason: 'no cti-adapter is running for this user' });

    await sandbox.start();
    const again = startHost(sandbox);
    const snapshot = await openAttached(again, token);
    assert.notEqual(snapshot.epoch, before.epoch, 'the channel is to the new run of the adapter');
    await pingWorks(again, 'after-restart');
  });

  test('stopped cleanly while open: the adapter\'s own close (1001, shutting down) reaches the browser', async () => {
    const adapter = await sandbox.start();
    const host = startHost(sandbox);
    await openAttached(host, token);
    await adapter.stop();
    const { messages, exit } = await host.rest();
    assert.deepEqual(messages.at(-1), { close: { code: 1001, reason: 'adapter shutting down' } }, JSON.stringify(messages));
    assert.equal(exit.code, 0, host.stderr());

    await sandbox.start();
    const again = startHost(sandbox);
    await openAttached(again, token);
    await pingWorks(again, 'after-clean-restart');
  });
});
