/**
 * cti/session.js — the session: the frames of a connection in, the state they build (active
 * calls, pending call logs, the agent, the driver) from the snapshot and the events applied
 * strictly in `seq` order, and `resume` after a gap or a reconnect to the same adapter run.
 *
 * The methods here are CtiClient's own (cti/client.js copies them onto its prototype).
 */

import { CtiError, parseFrame } from './protocol.js';

/** CtiClient's session methods; never instantiated (see the top of this file). */
export class SessionMethods {
  /** @private */
  _onMessage(ws, data) {
    if (ws !== this._ws) return;
    const frame = parseFrame(data);
    if (!frame) return; // the adapter only sends JSON objects; ignore anything else
    switch (frame.type) {
      case 'event': this._onEvent(frame); break;
      case 'result': this._onResult(frame); break;
      case 'snapshot': this._onSnapshot(frame); break;
      case 'hello': this._onHello(frame); break;
      case 'paired': this._onPaired(frame); break;
      case 'pairing_failed': this._onPairingFailed(frame); break;
      case 'error': {
        const e = frame.error || {};
        this._emit('error', new CtiError(e.code || 'error', e.message || 'error from the adapter'));
        break;
      }
      default: break; // unknown frame types are ignored (forward compatibility)
    }
  }

  /** @private */
  _onHello(hello) {
    this._authPending = false;
    this.hello = hello;
    if (hello.driver) this.driver = hello.driver;
    if (Array.isArray(hello.not_ready_reasons)) {
      this.notReadyReasons = hello.not_ready_reasons.filter((r) => typeof r === 'string');
    }
    // Same run as before and we hold its state: resume the event stream after the snapshot.
    // Another run (or the first connection): the snapshot replaces everything.
    this._resumeOnSnapshot = hello.epoch === this.epoch && this.lastSeq !== null;
    this._awaitingSnapshot = true;
    this._emit('hello', hello);
    if (hello.driver) this._emit('driver', this.driver);
  }

  /** @private */
  _onSnapshot(frame) {
    if (!this._awaitingSnapshot) {
      // A resync snapshot (answer to a resume that could not replay): it replaces our state.
      this._applySnapshot(frame);
      return;
    }
    this._awaitingSnapshot = false;
    this._attempt = 0; // a good connection: the next drop starts the backoff afresh
    if (this._resumeOnSnapshot) {
      // Reconnected to the same run. Keep our state and ask for the events we missed; the
      // replay brings us from our lastSeq up to the newest event (or a resync snapshot).
      this._resumeOnSnapshot = false;
      this._setState('connected', { port: this._port });
      this._requestResume();
    } else {
      this._applySnapshot(frame);
      this._setState('connected', { port: this._port });
    }
    const waiters = this._connectWaiters.splice(0);
    for (const w of waiters) w.resolve(this.hello);
  }

  /** @private Replaces the client's state with a snapshot (frame or `snapshot` result data). */
  _applySnapshot(snap) {
    this.epoch = snap.epoch;
    this.lastSeq = Number.isInteger(snap.seq) ? snap.seq : 0;
    if (snap.driver) this.driver = snap.driver;
    this._calls = new Map();
    for (const call of Array.isArray(snap.calls) ? snap.calls : []) {
      if (call && typeof call.id === 'string' && call.state !== 'ended') this._calls.set(call.id, call);
    }
    const logs = new Map();
    for (const log of Array.isArray(snap.call_logs) ? snap.call_logs : []) {
      if (isLog(log) && !log.acknowledged) logs.set(log.log_id, log);
    }
    const logsChanged = !sameLogs(this._logs, logs);
    this._logs = logs;
    if (isAgent(snap.agent)) this.agent = snap.agent;
    this._emit('snapshot', snap);
    if (this.driver) this._emit('driver', this.driver);
    if (this.agent) this._emit('agent', this.agent);
    this._emit('calls', this.calls);
    if (logsChanged) this._emit('logs', this.pendingLogs);
    // A page that connects while the phone rings still pops: each active call's screen pop is
    // in the snapshot, handed on like the event (marked `replayed`).
    for (const pop of Array.isArray(snap.screen_pops) ? snap.screen_pops : []) {
      if (pop && this._calls.has(pop.call_id)) {
        this._emit('screen_pop', { ...pop, type: 'event', name: 'screen_pop', seq: this.lastSeq, epoch: this.epoch, replayed: true });
      }
    }
  }

  /**
   * @private
   * The sequence rule of protocol section 4: apply only `seq === lastSeq + 1`; ignore
   * `seq <= lastSeq` (a duplicate); on a jump ignore the event and resume the stream.
   */
  _onEvent(ev) {
    if (this._awaitingSnapshot || this.lastSeq === null) return; // no baseline yet
    if (ev.epoch !== undefined && ev.epoch !== this.epoch) return; // not the run we hold
    const seq = ev.seq;
    if (!Number.isInteger(seq) || seq <= this.lastSeq) return;
    if (seq !== this.lastSeq + 1) {
      this._requestResume();
      return;
    }
    this.lastSeq = seq;
    this._applyEvent(ev);
  }

  /** @private Updates the call table from one in-order event and tells the subscribers. */
  _applyEvent(ev) {
    let callsChanged = false;
    const call = ev.call;
    if (call && typeof call.id === 'string') {
      if (ev.name === 'call.ended' || call.state === 'ended') {
        callsChanged = this._calls.delete(call.id);
      } else if (ev.name === 'screen_pop') {
        // screen_pop follows call.ringing; refresh the call, never bring back a gone one.
        if (this._calls.has(call.id)) {
          this._calls.set(call.id, call);
          callsChanged = true;
        }
      } else {
        this._calls.set(call.id, call);
        callsChanged = true;
      }
    }
    if (ev.name === 'driver.status' && ev.driver) this.driver = ev.driver;
    const agentChanged = ev.name === 'agent.state' && isAgent(ev.agent);
    if (agentChanged) this.agent = ev.agent;

    let logsChanged = false;
    if (isLog(ev.log)) {
      if (ev.name === 'call_log' && !ev.log.acknowledged) {
        this._logs.set(ev.log.log_id, ev.log);
        logsChanged = true;
      } else if (ev.name === 'call_log.saved') {
        logsChanged = this._logs.delete(ev.log.log_id);
      }
    }

    this._emit(ev.name, ev);
    this._emit('*', ev);
    if (ev.name === 'driver.status' && ev.driver) this._emit('driver', this.driver);
    if (agentChanged) this._emit('agent', this.agent);
    if (callsChanged) this._emit('calls', this.calls);
    if (logsChanged) this._emit('logs', this.pendingLogs);
  }

  /** @private Drops a pending call log (it was saved); tells the `logs` subscribers. */
  _dropLog(logId) {
    if (this._logs.delete(logId)) this._emit('logs', this.pendingLogs);
  }

  /**
   * @private
   * Session resume: asks the adapter for every event after `lastSeq`. At most one at a time.
   * If the resume itself fails (not a dropped connection), falls back to a fresh snapshot.
   */
  _requestResume() {
    if (this._resumeInFlight || !this._ws || this.lastSeq === null || this.epoch === null) return;
    this._resumeInFlight = true;
    const token = ++this._resumeToken;
    const ws = this._ws;
    this._command('resume', { epoch: this.epoch, after_seq: this.lastSeq }, 'r')
      .catch((err) => {
        if (err.code !== 'not_connected' && this._ws === ws) {
          return this.snapshot().catch(() => { /* the next gap or reconnect tries again */ });
        }
        return undefined;
      })
      .finally(() => {
        if (this._resumeToken === token) this._resumeInFlight = false;
      });
  }

  /**
   * Asks for a fresh snapshot `{epoch, seq, driver, calls, call_logs}`. Unless events newer
   * than it have already been applied, it also replaces the client's state (and
   * `snapshot`/`calls`, and `logs` when the pending list changed, fire).
   * @returns {Promise<{epoch: string, seq: number, driver: DriverInfo, calls: Call[], call_logs: CallLog[]}>}
   */
  snapshot() {
    return this._command('snapshot').then((data) => {
      if (data && typeof data.epoch === 'string') {
        const stale = data.epoch === this.epoch && this.lastSeq !== null && data.seq < this.lastSeq;
        if (!stale) this._applySnapshot({ ...data, type: 'snapshot', resync: false });
      }
      return data;
    });
  }
}

/** Whether `value` looks like the agent's state. */
function isAgent(value) {
  return !!value && typeof value === 'object' && typeof value.state === 'string';
}

/** Whether `value` looks like a call-log record. */
function isLog(value) {
  return !!value && typeof value === 'object' && typeof value.log_id === 'string' && value.log_id !== '';
}

/** Whether two pending-log maps hold the same records in the same order. */
function sameLogs(a, b) {
  if (a.size !== b.size) return false;
  const left = [...a.entries()];
  let i = 0;
  for (const [id, log] of b) {
    const [otherId, other] = left[i++];
    if (id !== otherId || JSON.stringify(log) !== JSON.stringify(other)) return false;
  }
  return true;
}
