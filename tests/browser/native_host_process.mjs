// Driving `cti-adapter native-host` through its stdin and stdout as a browser does: native
// messaging, each message a 4-byte length in the machine's byte order, then UTF-8 JSON.
//
// Nothing here sleeps: a message is taken when the data event that completes it arrives, and the
// end of the host is its stdout's end and its exit event. Timers only turn a hang into a clear
// failure that shows what the host did say.

import { spawn } from 'node:child_process';
import { endianness } from 'node:os';

import { trackChild } from './adapter_process.mjs';

const LITTLE_ENDIAN = endianness() === 'LE';
const HEADER_BYTES = 4;

/** A message's 4-byte length header, in the machine's byte order (as the browsers write it). */
export function lengthHeader(length) {
  const header = Buffer.alloc(HEADER_BYTES);
  if (LITTLE_ENDIAN) header.writeUInt32LE(length); else header.writeUInt32BE(length);
  return header;
}

/** One native message: `message` as JSON, or a string sent as it is (to send what is not JSON). */
export function nativeMessage(message) {
  const body = Buffer.from(typeof message === 'string' ? message : JSON.stringify(message), 'utf8');
  return Buffer.concat([lengthHeader(body.length), body]);
}

/** A running `cti-adapter native-host`, the test in the browser's place on its pipes. */
export class NativeHostProcess {
  /**
   * Starts `BIN native-host ORIGIN_ARGUMENT` with `env` (which names the adapter's socket through
   * XDG_RUNTIME_DIR). `runAs`: a command and its arguments to start it under (e.g. setpriv).
   */
  static start(bin, { env, runAs = [] }) {
    // Chromium passes the caller's origin; the host ignores its arguments.
    const command = [...runAs, bin, 'native-host', 'chrome-extension://test/'];
    const child = spawn(command[0], command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env });
    return new NativeHostProcess(trackChild(child));
  }

  constructor(child) {
    this.child = child;
    /** Every message the host has written, parsed, in order. */
    this.messages = [];
    this.read = 0; // messages already handed out by next()
    this.pending = Buffer.alloc(0);
    this.stdoutEnded = false;
    this.stderrText = '';
    this.waiters = new Set();
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
    });
    // The host may end the channel while the test still writes: that is for the test to see in
    // the host's messages, not an unhandled EPIPE.
    child.stdin.on('error', () => {});
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => { this.stderrText += chunk; });
    child.stdout.on('data', (chunk) => this.onOutput(chunk));
    child.stdout.once('end', () => {
      this.stdoutEnded = true;
      this.wake();
    });
  }

  get running() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** What the host has logged on stderr so far. */
  stderr() {
    return this.stderrText;
  }

  onOutput(chunk) {
    this.pending = Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= HEADER_BYTES) {
      const length = LITTLE_ENDIAN ? this.pending.readUInt32LE(0) : this.pending.readUInt32BE(0);
      if (this.pending.length < HEADER_BYTES + length) break;
      const text = this.pending.subarray(HEADER_BYTES, HEADER_BYTES + length).toString('utf8');
      this.pending = this.pending.subarray(HEADER_BYTES + length);
      try {
        this.messages.push(JSON.parse(text));
      } catch {
        // Standard output must carry only native messages: let the test see what else came.
        this.messages.push({ not_a_native_message: text });
      }
    }
    this.wake();
  }

  wake() {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Writes raw bytes to the host's stdin; resolves once they are handed to the pipe. */
  writeRaw(bytes) {
    return new Promise((resolve) => this.child.stdin.write(bytes, () => resolve()));
  }

  /** Sends one message (an object as JSON, a string as it is). */
  send(message) {
    return this.writeRaw(nativeMessage(message));
  }

  /** Closes the host's stdin, as the browser does when the page's port is closed. */
  closeInput() {
    this.child.stdin.end();
  }

  /**
   * The next message the host writes (or has written and next() has not handed out yet).
   * Rejects, saying what came so far, when the host ends its output first or after `timeoutMs`.
   */
  next({ timeoutMs = 10000 } = {}) {
    return new Promise((resolve, reject) => {
      let timer = null;
      const check = () => {
        if (this.read < this.messages.length) {
          done();
          resolve(this.messages[this.read++]);
        } else if (this.stdoutEnded) {
          done();
          reject(this.failure(`the host ended its output with no further message`));
        }
      };
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      timer = setTimeout(() => {
        done();
        reject(this.failure(`the host wrote no further message within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /**
   * Waits for the host to end its output and exit; resolves with the messages next() has not
   * handed out, and the exit code.
   */
  async rest({ timeoutMs = 10000 } = {}) {
    let timer = null;
    const ended = new Promise((resolve) => {
      if (this.stdoutEnded) return resolve();
      const check = () => {
        if (!this.stdoutEnded) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
    const timeout = new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(this.failure(`the host did not end within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([Promise.all([ended, this.exited]), timeout]);
    } finally {
      clearTimeout(timer);
    }
    const messages = this.messages.slice(this.read);
    this.read = this.messages.length;
    return { messages, exit: await this.exited };
  }

  failure(what) {
    return new Error(`${what}\n--- messages from the host ---\n${this.messages.map((m) => JSON.stringify(m)).join('\n')}\n--- host stderr ---\n${this.stderrText}`);
  }

  /**
   * Ends the host: its stdin closed (the browser's way), then SIGKILL if it has not exited after
   * `graceMs`. Resolves once it has exited.
   */
  async stop(graceMs = 5000) {
    if (!this.running) return;
    this.closeInput();
    const killer = setTimeout(() => { if (this.running) this.child.kill('SIGKILL'); }, graceMs);
    try {
      await this.exited;
    } finally {
      clearTimeout(killer);
    }
  }
}

