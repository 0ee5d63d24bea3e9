// Starting, stopping and driving a cti-adapter process for the browser tests.
//
// Nothing here sleeps: readiness is the adapter's one stdout line
// `cti-adapter listening on http://127.0.0.1:PORT/`, read from the stream as it arrives, and
// stopping waits for the process's exit event. Timers only turn a hang into a clear failure.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const LISTENING = /^cti-adapter listening on http:\/\/127\.0\.0\.1:(\d+)\/$/;

/** Every process started and not yet seen to exit; killed if the test runner exits early. */
const live = new Set();
process.on('exit', () => {
  for (const child of live) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
});

/**
 * Counts `child` among the processes killed should the test runner exit before they do (a test
 * that fails half-way must not leave an adapter or a host behind).
 */
export function trackChild(child) {
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  return child;
}

/** Keeps the last `limit` characters of a stream, for failure messages. */
function tailCollector(stream, limit = 16000) {
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    text += chunk;
    if (text.length > limit) text = text.slice(-limit);
  });
  return () => text;
}

/**
 * A stream's text as it arrives, for waiting on what a process writes: `mark()` is how much has
 * come so far, `since(mark)` what came after it, and `waitFor` resolves on the data event that
 * completes a match. Only the last `limit` characters are kept (the adapter's log of a long test
 * must not grow without bound); a mark older than that reads what is still kept.
 */
class OutputLog {
  constructor(stream, limit = 4 * 1024 * 1024) {
    this.stream = stream;
    this.limit = limit;
    this.text = '';
    this.dropped = 0; // characters that came before `text` and are no longer kept
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      this.text += chunk;
      if (this.text.length > limit) {
        const cut = this.text.length - limit;
        this.text = this.text.slice(cut);
        this.dropped += cut;
      }
    });
  }

  mark() {
    return this.dropped + this.text.length;
  }

  since(mark = 0) {
    return this.text.slice(Math.max(0, mark - this.dropped));
  }

  tail(characters = 16000) {
    return this.text.slice(-characters);
  }

  /**
   * Resolves with the match of `pattern` in what came after `after` (a mark; 0: everything),
   * as soon as a data event completes one; rejects after `timeoutMs` or when the stream ends
   * without one, saying what it waited for.
   */
  waitFor(pattern, { after = 0, timeoutMs = 5000, what = 'the output' } = {}) {
    // A global or sticky pattern would carry lastIndex from one look to the next.
    const plain = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
    const find = () => plain.exec(this.since(after));
    const found = find();
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const finish = (error, match) => {
        clearTimeout(timer);
        this.stream.off('data', onData);
        this.stream.off('end', onEnd);
        if (error) reject(error); else resolve(match);
      };
      const missing = (why) => new Error(`${what} showed no ${pattern} ${why}\n--- ${what} ---\n${this.tail()}`);
      // Listeners run in the order they were added: the collector's has appended the chunk.
      const onData = () => {
        const match = find();
        if (match) finish(null, match);
      };
      const onEnd = () => finish(missing('before it ended'));
      const timer = setTimeout(() => finish(missing(`within ${timeoutMs} ms`)), timeoutMs);
      this.stream.on('data', onData);
      this.stream.on('end', onEnd);
    });
  }
}

/** The built cti-adapter the page tests run (CTest sets it). */
export const ADAPTER_BIN = process.env.CTI_ADAPTER_BIN;

/** describe() options for the tests that need that adapter: skipped, saying why, without it. */
export const NEEDS_ADAPTER = {
  skip: ADAPTER_BIN ? false : 'CTI_ADAPTER_BIN is not set: set it to a built cti-adapter executable to run the page tests',
};

/** A running adapter: `port`, `url`, `stop()`, `stderr()` (its recent log output). */
export class AdapterProcess {
  constructor(child, port, stderrLog) {
    this.child = child;
    this.port = port;
    this.url = `http://127.0.0.1:${port}/`;
    this.stderrLog = stderrLog;
    this.exited = once(child, 'exit');
  }

  /** The last lines of the adapter's log output (its stderr), for failure messages. */
  stderr() {
    return this.stderrLog.tail();
  }

  /** How much the adapter has logged so far: pass it as `after` to read or wait past it. */
  outputMark() {
    return this.stderrLog.mark();
  }

  /** What the adapter has logged since `mark` (from outputMark()). */
  outputSince(mark) {
    return this.stderrLog.since(mark);
  }

  /**
   * Resolves with the first match of `pattern` in the adapter's log output after `after` (a mark
   * from outputMark(); 0: since it started), as soon as the line arrives; fails after `timeoutMs`.
   */
  waitForOutput(pattern, { after = 0, timeoutMs = 5000 } = {}) {
    return this.stderrLog.waitFor(pattern, { after, timeoutMs, what: 'the adapter\'s log output' });
  }

  get running() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Kills the adapter with SIGKILL, as a crash or a power cut would: it cannot end its calls or
   * write anything more. Resolves once the process has exited.
   */
  async kill() {
    if (this.running) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  /**
   * Stops the adapter: SIGTERM, then SIGKILL if it has not exited after `graceMs`.
   * Resolves once the process has exited.
   */
  async stop(graceMs = 5000) {
    if (this.running) {
      this.child.kill('SIGTERM');
      const killer = setTimeout(() => {
        if (this.running) this.child.kill('SIGKILL');
      }, graceMs);
      try {
        await this.exited;
      } finally {
        clearTimeout(killer);
      }
    }
  }
}

/**
 * Starts `BIN run --config CONFIG --port PORT` and resolves once it prints its listening line.
 * `env`: the adapter's environment (default: this process's).
 * @param {string} bin
 * @param {{configPath: string, port?: number, env?: object, timeoutMs?: number}} options
 * @returns {Promise<AdapterProcess>}
 */
export function startAdapter(bin, { configPath, port = 0, env = process.env, timeoutMs = 20000 }) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['run', '--config', configPath, '--port', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    trackChild(child);
    const stderrLog = new OutputLog(child.stderr);
    const stderr = () => stderrLog.tail();
    const stdoutLines = [];
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    let settled = false;

    const fail = (message) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      reject(new Error(`${message}\n--- adapter stdout ---\n${stdoutLines.join('\n')}\n--- adapter stderr ---\n${stderr()}`));
    };
    const timer = setTimeout(
      () => fail(`the adapter printed no "cti-adapter listening on ..." line within ${timeoutMs} ms`),
      timeoutMs,
    );

    lines.on('line', (line) => {
      stdoutLines.push(line);
      const match = LISTENING.exec(line.trim());
      if (match && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve(new AdapterProcess(child, Number(match[1]), stderrLog));
      }
    });
    child.once('error', (err) => fail(`cannot start ${bin}: ${err.message}`));
    child.once('exit', (code, signal) => {
      fail(`the adapter exited (code ${code}, signal ${signal}) before it was listening`);
    });
  });
}

/**
 * Runs the adapter's command line (e.g. `simulate incoming ...`) to completion.
 * `env`: its environment (default: this process's).
 * @param {string} bin
 * @param {string[]} args
 * @returns {Promise<{code: number|null, signal: string|null, stdout: string, stderr: string}>}
 */
export function runCli(bin, args, { timeoutMs = 20000, env = process.env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    trackChild(child);
    const stdout = tailCollector(child.stdout);
    const stderr = tailCollector(child.stderr);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${bin} ${args.join(' ')}: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: stdout(), stderr: stderr() });
    });
  });
}

/** A TCP port on 127.0.0.1 that nothing listens on: bound by the system, then released. */
export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * An adapter with a folder of its own, for one test file: its config, call log and log file,
 * and the XDG folders it runs with (runtime: the native messaging socket and the discovery file;
 * data: pairings and the TLS identity; state: anything else it keeps). Test files run in
 * parallel, and next to the user's own adapter: none may meet another's socket or journal.
 *
 *   const sandbox = await AdapterSandbox.create('cti-browser-example-');
 *   await sandbox.writeConfig({ allowed_origins: [...] });
 *   const adapter = await sandbox.start();
 *   ...
 *   await sandbox.remove();   // stops the adapter, removes the folder
 */
export class AdapterSandbox {
  /** Makes the folder (in the system's temp folder, named `prefix` + random). */
  static async create(prefix) {
    const sandbox = new AdapterSandbox(await mkdtemp(join(tmpdir(), prefix)));
    // Private, as a login session's XDG_RUNTIME_DIR is.
    await mkdir(sandbox.runtimeDir, { mode: 0o700 });
    return sandbox;
  }

  /** create(), writeConfig(config) and start({ port }) in one. */
  static async started(prefix, config, { port = 0 } = {}) {
    const sandbox = await AdapterSandbox.create(prefix);
    try {
      await sandbox.writeConfig(config);
      await sandbox.start({ port });
    } catch (error) {
      await sandbox.remove();
      throw error;
    }
    return sandbox;
  }

  constructor(dir) {
    this.dir = dir;
    this.configPath = join(dir, 'config.json');
    this.runtimeDir = join(dir, 'run');
    /** The environment of the adapter and of the processes that must find it (CLI, native host). */
    this.env = {
      ...process.env,
      XDG_RUNTIME_DIR: this.runtimeDir,
      XDG_DATA_HOME: join(dir, 'data'),
      XDG_STATE_HOME: join(dir, 'state'),
    };
    /** The running adapter (the last one start() started), or null. */
    this.adapter = null;
  }

  /** Where this adapter listens for the native messaging host (docs/BROWSER-EXTENSION.md). */
  get socketPath() {
    return join(this.runtimeDir, 'cti-adapter', 'native.sock');
  }

  /**
   * Writes the adapter's config: `config`, with the call log and the log file in this folder
   * unless it names its own. Rewrite it between stop and start to change the config.
   */
  async writeConfig(config = {}) {
    await writeFile(this.configPath, JSON.stringify({
      log_file: join(this.dir, 'adapter.log'),
      call_log_file: join(this.dir, 'call-log.sqlite3'),
      ...config,
    }, null, 2));
  }

  /** Starts the adapter on the written config (port 0: any free one); resolves with it. */
  async start({ port = 0 } = {}) {
    this.adapter = await startAdapter(ADAPTER_BIN, { configPath: this.configPath, port, env: this.env });
    return this.adapter;
  }

  /** The adapter's command line, as this folder's user would run it. */
  cli(args, options = {}) {
    return runCli(ADAPTER_BIN, args, { env: this.env, ...options });
  }

  /**
   * A new pairing token for `origin` and its config entry, as `cti-adapter pair new-token ORIGIN`
   * prints them for IT to preseed: `{ token, entry }`, the entry for `pairing.preseeded`.
   */
  async newPairingToken(origin) {
    const made = await this.cli(['pair', 'new-token', origin]);
    if (made.code !== 0) throw new Error(`pair new-token exited ${made.code}: ${made.stderr}`);
    const token = /^\s+([A-Za-z0-9_-]{43})\s*$/m.exec(made.stdout)?.[1];
    if (!token) throw new Error(`no token in the output of pair new-token: ${made.stdout}`);
    const snippet = JSON.parse(made.stdout.slice(made.stdout.indexOf('{')));
    return { token, entry: snippet.pairing.preseeded[0] };
  }

  /** Stops the adapter if it runs and removes the folder; errors are not the test's. */
  async remove() {
    await this.adapter?.stop().catch(() => {});
    await rm(this.dir, { recursive: true, force: true }).catch(() => {});
  }
}

/**
 * The call id printed by `simulate incoming`: a bare id on its own line, `call_id: ID`, or a
 * JSON object with `call_id`.
 * @param {string} stdout
 * @returns {string}
 */
export function parseCallId(stdout) {
  const text = stdout.trim();
  try {
    const value = JSON.parse(text);
    if (value && typeof value.call_id === 'string') return value.call_id;
    if (value && value.data && typeof value.data.call_id === 'string') return value.data.call_id;
  } catch { /* not JSON */ }
  const labelled = /call[_ ]?id["']?\s*[:=]\s*["']?([^\s"',}]+)/i.exec(text);
  if (labelled) return labelled[1];
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const last = lines.length ? lines[lines.length - 1].split(/\s+/) : [];
  return last.length ? last[last.length - 1] : '';
}
