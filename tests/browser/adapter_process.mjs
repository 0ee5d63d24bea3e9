// Starting, stopping and driving a cti-adapter process for the browser tests.
//
// Nothing here sleeps: readiness is the adapter's one stdout line
// `cti-adapter listening on http://127.0.0.1:PORT/`, read from the stream as it arrives, and
// stopping waits for the process's exit event. Timers only turn a hang into a clear failure.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const LISTENING = /^cti-adapter listening on http:\/\/127\.0\.0\.1:(\d+)\/$/;

/** Every adapter process started and not yet seen to exit; killed if the test runner exits early. */
const live = new Set();
process.on('exit', () => {
  for (const child of live) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
});

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

/** A running adapter: `port`, `url`, `stop()`, `stderr()` (its recent log output). */
/** The built cti-adapter the page tests run (CTest sets it). */
export const ADAPTER_BIN = process.env.CTI_ADAPTER_BIN;

/** describe() options for the tests that need that adapter: skipped, saying why, without it. */
export const NEEDS_ADAPTER = {
  skip: ADAPTER_BIN ? false : 'CTI_ADAPTER_BIN is not set: set it to a built cti-adapter executable to run the page tests',
};

export class AdapterProcess {
  constructor(child, port, stderr) {
    this.child = child;
    this.port = port;
    this.url = `http://127.0.0.1:${port}/`;
    this.stderr = stderr;
    this.exited = once(child, 'exit');
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
    live.delete(this.child);
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
    live.delete(this.child);
  }
}

/**
 * Starts `BIN run --config CONFIG --port PORT` and resolves once it prints its listening line.
 * @param {string} bin
 * @param {{configPath: string, port?: number, timeoutMs?: number}} options
 * @returns {Promise<AdapterProcess>}
 */
export function startAdapter(bin, { configPath, port = 0, timeoutMs = 20000 }) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['run', '--config', configPath, '--port', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    const stderr = tailCollector(child.stderr);
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
        resolve(new AdapterProcess(child, Number(match[1]), stderr));
      }
    });
    child.once('error', (err) => fail(`cannot start ${bin}: ${err.message}`));
    child.once('exit', (code, signal) => {
      live.delete(child);
      fail(`the adapter exited (code ${code}, signal ${signal}) before it was listening`);
    });
  });
}

/**
 * Runs the adapter's command line (e.g. `simulate incoming ...`) to completion.
 * @param {string} bin
 * @param {string[]} args
 * @returns {Promise<{code: number|null, signal: string|null, stdout: string, stderr: string}>}
 */
export function runCli(bin, args, { timeoutMs = 20000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    const stdout = tailCollector(child.stdout);
    const stderr = tailCollector(child.stderr);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      live.delete(child);
      reject(new Error(`cannot run ${bin} ${args.join(' ')}: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      resolve({ code, signal, stdout: stdout(), stderr: stderr() });
    });
  });
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
