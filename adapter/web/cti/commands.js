/**
 * cti/commands.js — commands: each one a frame with an id whose `result` settles a Promise,
 * with the client-side errors (`not_connected`, `timeout`), the call controls and call-log
 * commands by name, and `can()`, which says which controls apply to a call now.
 *
 * The methods here are CtiClient's own (cti/client.js copies them onto its prototype).
 */

import { CtiError, PROTOCOL_VERSION, WS_OPEN } from './protocol.js';

/** The call states in which each call control applies (CtiClient#can). */
const CALL_STATES_FOR = Object.freeze({
  answer: ['ringing'],
  decline: ['ringing'],
  hold: ['connected'],
  resume: ['held'],
  transfer: ['connected', 'held'],
  dtmf: ['connected'],
  hangup: ['dialing', 'connected', 'held'],
});

/** CtiClient's command methods; never instantiated (see the top of this file). */
export class CommandMethods {
  /**
   * Whether the phone can do `action` now: the driver advertises it (`hello.capabilities`) and,
   * for a call, the call's state allows it (answer and decline a ringing call, hold a connected
   * one, resume a held one, transfer either, tones while connected, hang up any call not
   * ringing). A page shows only the controls for which this is true; the adapter answers
   * `unsupported` for the rest.
   * @param {string} action 'answer', 'decline', 'hold', 'resume', 'transfer', 'dtmf', 'hangup', 'dial'
   * @param {Call|string} [call] the call (or its id) the control is for; none for 'dial'
   * @returns {boolean}
   */
  can(action, call) {
    if (!this.capabilities.includes(action)) return false;
    if (action === 'dial') return true;
    const target = typeof call === 'string' ? this.getCall(call) : call;
    if (!target) return false;
    const allowed = CALL_STATES_FOR[action];
    return allowed ? allowed.includes(target.state) : false;
  }

  /** @private */
  _onResult(frame) {
    const id = frame.id;
    if (typeof id !== 'string') return;
    const pending = this._pending.get(id);
    if (!pending) return; // timed out already, or not ours
    this._pending.delete(id);
    clearTimeout(pending.timer);
    if (frame.ok) {
      pending.resolve(frame.data ?? {});
    } else {
      const e = frame.error || {};
      pending.reject(new CtiError(e.code || 'error', e.message || `'${pending.type}' failed`));
    }
  }

  /** @private Rejects every command waiting for a result. */
  _failPending(why) {
    const pending = [...this._pending.values()];
    this._pending.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(new CtiError('not_connected', `'${p.type}' got no result: ${why}`));
    }
  }

  /**
   * @private
   * Sends `{v:1, type, id, ...fields}` and returns a Promise for the result's `data`.
   */
  _command(type, fields = {}, idPrefix = 'c') {
    const ws = this._ws;
    if (!ws || ws.readyState !== WS_OPEN) {
      return Promise.reject(new CtiError('not_connected', `cannot send '${type}': not connected to the cti-adapter`));
    }
    // Before authenticating anything else would make the adapter close the connection (4001).
    if (this._authPending && type !== 'authenticate' && type !== 'pair') {
      return Promise.reject(new CtiError('not_connected', `cannot send '${type}': not paired with the cti-adapter yet`));
    }
    const id = `${idPrefix}${++this._nextId}`;
    const frame = { v: PROTOCOL_VERSION, type, id };
    for (const [key, value] of Object.entries(fields || {})) {
      if (!(key in frame)) frame[key] = value;
    }
    let text;
    try {
      text = JSON.stringify(frame);
    } catch (err) {
      return Promise.reject(new CtiError('bad_request', `cannot encode '${type}': ${err.message}`));
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this._pending.delete(id)) {
          reject(new CtiError('timeout', `no result for '${type}' within ${this._commandTimeoutMs} ms`));
        }
      }, this._commandTimeoutMs);
      this._pending.set(id, { resolve, reject, timer, type });
      try {
        ws.send(text);
      } catch (err) {
        this._pending.delete(id);
        clearTimeout(timer);
        reject(new CtiError('not_connected', `cannot send '${type}': ${err.message}`));
      }
    });
  }

  /**
   * Sends any command. `fields` are added to the frame (`v`, `type` and `id` are set by the
   * client). Resolves with the result's `data`; rejects with a {@link CtiError}.
   *
   * @param {string} type
   * @param {Object} [fields]
   * @returns {Promise<Object>}
   */
  send(type, fields = {}) {
    if (typeof type !== 'string' || type === '') {
      return Promise.reject(new CtiError('bad_request', 'type must be a non-empty string'));
    }
    return this._command(type, fields);
  }

  /**
   * Starts an outbound call. `to`: digits, `*`, `#`, optional leading `+`; spaces, `-`, `.`, `(`
   * and `)` are allowed and removed by the adapter.
   * @param {string} to
   * @returns {Promise<{call_id: string}>}
   */
  dial(to) {
    return this._command('dial', { to });
  }

  /** Answers a ringing call. @param {string} callId @returns {Promise<{}>} */
  answer(callId) {
    return this._command('answer', { call_id: callId });
  }

  /** Declines a ringing call (it ends with reason `rejected`). @param {string} callId @returns {Promise<{}>} */
  decline(callId) {
    return this._command('decline', { call_id: callId });
  }

  /** Hangs up any active call. @param {string} callId @returns {Promise<{}>} */
  hangup(callId) {
    return this._command('hangup', { call_id: callId });
  }

  /** Puts a connected call on hold. @param {string} callId @returns {Promise<{}>} */
  hold(callId) {
    return this._command('hold', { call_id: callId });
  }

  /** Takes a held call off hold. @param {string} callId @returns {Promise<{}>} */
  resume(callId) {
    return this._command('resume', { call_id: callId });
  }

  /**
   * Blind-transfers a connected or held call.
   * @param {string} callId
   * @param {string} to
   * @returns {Promise<{}>}
   */
  transfer(callId, to) {
    return this._command('transfer', { call_id: callId, to });
  }

  /**
   * Sends DTMF digits (1–32 of `0-9 * # A-D`) on a call.
   * @param {string} callId
   * @param {string} digits
   * @returns {Promise<{}>}
   */
  dtmf(callId, digits) {
    return this._command('dtmf', { call_id: callId, digits });
  }

  /**
   * Saves the wrap-up of a call log and acknowledges it: it leaves the pending list here at
   * once, and on every other page when their `call_log.saved` arrives. Both fields are
   * optional (`disposition` at most 128 bytes, `notes` at most 8000); an omitted one keeps
   * what the record has.
   *
   * @param {string} logId
   * @param {{disposition?: string|null, notes?: string|null}} [fields]
   * @returns {Promise<{log: CallLog}>}  the saved record
   */
  saveLog(logId, fields = {}) {
    const frame = { log_id: logId };
    const { disposition, notes } = fields || {};
    if (disposition !== undefined && disposition !== null) frame.disposition = disposition;
    if (notes !== undefined && notes !== null) frame.notes = notes;
    return this._command('save_log', frame).then((data) => {
      this._dropLog(logId);
      return data;
    });
  }

  /**
   * Sets the agent's state: `ready`, or `not_ready` with one of `notReadyReasons`. (`wrap_up`
   * is entered by the adapter after an answered call and ends by itself.) `agent.state`
   * follows on every page.
   *
   * @param {'ready'|'not_ready'} state
   * @param {string} [reason]  required for `not_ready`
   * @returns {Promise<{agent: AgentInfo}>}
   */
  setAgentState(state, reason) {
    const frame = { state };
    if (reason !== undefined && reason !== null) frame.reason = reason;
    return this._command('set_agent_state', frame);
  }

  /**
   * One page of the call-log history, newest first. Pass the `next` of one page as `before`
   * to get the page after it; `next` is null on the last page.
   *
   * @param {{limit?: number, before?: number|null}} [options]  `limit`: 1–100 (default 20)
   * @returns {Promise<{logs: CallLog[], next: number|null}>}
   */
  history(options = {}) {
    const frame = {};
    const { limit, before } = options || {};
    if (limit !== undefined && limit !== null) frame.limit = limit;
    if (before !== undefined && before !== null) frame.before = before;
    return this._command('history', frame).then((data) => ({
      ...data,
      logs: Array.isArray(data && data.logs) ? data.logs : [],
      next: data && data.next !== undefined ? data.next : null,
    }));
  }

  /** Round trip to the adapter. @returns {Promise<{time: string}>} */
  ping() {
    return this._command('ping');
  }
}
