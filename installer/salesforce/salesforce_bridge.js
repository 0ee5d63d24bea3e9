/**
 * salesforce_bridge.js — the adapter's calls and call logs in Salesforce, through Open CTI.
 *
 *  - a ringing inbound call opens the panel and is searched and popped once
 *    (`searchAndScreenPop`, so the softphone layout's no / single / multiple match rules apply);
 *    when exactly one record matched, the call's Task will link to it;
 *  - a phone number clicked in Salesforce (`onClickToDial`) is dialled by the adapter, and the
 *    clicked record becomes the call's record;
 *  - a call log is saved as a Task (`saveLog`) and only then acknowledged in the adapter
 *    (`save_log`): a save that fails leaves the log pending in the adapter's journal, and it is
 *    sent again on the next connection or when the agent presses Retry; the record on screen
 *    is refreshed (`refreshView`) so its activity shows the Task at once;
 *  - click-to-dial is on only while the adapter is reachable (`enableClickToDial` /
 *    `disableClickToDial`), so a click never goes nowhere;
 *  - the pop follows the org's softphone layout (`getSoftphoneLayout`): one match opens the
 *    record, several are listed in the panel for the agent to choose (`screenPop` SOBJECT), and
 *    no match opens a new record with the caller's number (`NEW_RECORD_MODAL`) where the layout
 *    says so;
 *  - the record on screen (`getAppViewInfo`, `onNavigationChange`) can be linked to a call.
 *
 * Every console tab has its own panel, all connected to the same adapter. Pops and saves are
 * therefore done under a Web Lock and recorded in the shared storage: a call pops in one tab
 * only, and a call log becomes one Task however many panels send it again.
 */
import { taskFields } from './task_fields.js';

/** Records in a searchAndScreenPop result: `returnValue` maps record ids to records. */
export function matchedRecords(returnValue) {
  if (!returnValue || typeof returnValue !== 'object') return [];
  return Object.values(returnValue)
    .filter((r) => r && typeof r === 'object' && typeof r.Id === 'string' && r.Id)
    .map((r) => ({ id: r.Id, type: r.RecordType || '', name: r.Name || '' }));
}

/** Runs `task` while holding the browser-wide lock `name` (directly where Web Locks are missing). */
function withLock(name, task) {
  const locks = globalThis.navigator?.locks;
  return locks ? locks.request(`cti-adapter.salesforce.${name}`, task) : task();
}

/**
 * Takes the browser-wide lock `name` unless another tab holds it, and keeps it until `release`
 * settles. Resolves true when this tab got it. The lock, not the shared storage, decides who
 * pops a ringing call: a write to localStorage reaches the other tabs' renderers only later,
 * so two tabs could both read "not popped yet".
 */
function claimUntil(name, release) {
  const locks = globalThis.navigator?.locks;
  if (!locks) return Promise.resolve(true);
  return new Promise((resolve) => {
    locks.request(`cti-adapter.salesforce.${name}`, { ifAvailable: true }, (lock) => {
      resolve(Boolean(lock));
      return lock ? release : undefined;
    });
  });
}

/** The call's details for a Visualforce pop page (Salesforce passes them on only to those). */
function popQueryParams(call) {
  const params = new URLSearchParams({
    ANI: call.from?.number || '',
    DNIS: call.to?.number || '',
    CallObject: call.id,
  });
  return params.toString();
}

export class SalesforceBridge {
  /**
   * @param {import('./cti.js').CtiClient} client
   * @param {import('./open_cti.js').OpenCti} openCti
   * @param {import('./wrap_up_store.js').WrapUpStore} store
   * @param {{onError: (what: string, err: Error) => void, onChange: () => void}} hooks
   */
  constructor(client, openCti, store, hooks) {
    this._client = client;
    this._openCti = openCti;
    this._store = store;
    this._hooks = hooks;
    /** Calls already popped: one pop per call, whatever the events replay. */
    this._popped = new Set();
    /** @type {Map<string, () => void>} releases this tab's pop lock of a call when it ends */
    this._popLocks = new Map();
    /** @type {Map<string, {status: 'saving'|'failed', message?: string}>} by log id */
    this._saves = new Map();
    /** @type {Map<string, object[]>} records searchAndScreenPop found, by call id */
    this._matches = new Map();
    /** @type {{id, type, name}|null} the Salesforce record the agent has on screen */
    this._onScreen = null;
    /** @type {Promise<object|null>|null} the org's softphone layout, asked once */
    this._layout = null;
    /** Whether Salesforce's click-to-dial is on (it starts off): it follows the adapter's connection. */
    this._clickToDial = false;
  }

  /** Subscribes to the adapter and to Salesforce. Call before `client.connect()`. */
  start() {
    this._client.on('call.ringing', ({ call }) => this._onRinging(call));
    this._client.on('call.ended', ({ call }) => this._releasePop(call.id));
    // Every new connection brings the pending logs again: send the submitted ones again.
    this._client.on('snapshot', () => this.resendSubmitted());
    if (!this._openCti.available) return;
    this._openCti.notify('onClickToDial', { listener: (payload) => this.dialFromSalesforce(payload) });
    this._client.on('connection', ({ state }) => {
      if (state === 'connected') this._setClickToDial(true);
      else if (state === 'disconnected') this._setClickToDial(false);
    });
    this._openCti.notify('onNavigationChange', { listener: (payload) => this._viewChanged(payload) });
    this._openCti.call('getAppViewInfo').then((view) => this._viewChanged(view)).catch(() => {});
  }

  _setClickToDial(on) {
    if (this._clickToDial === on) return;
    this._clickToDial = on;
    const method = on ? 'enableClickToDial' : 'disableClickToDial';
    this._openCti.call(method).catch((err) => this._hooks.onError(on ? 'Turning on click-to-dial' : 'Turning off click-to-dial', err));
  }

  /** onNavigationChange's payload or getAppViewInfo's answer: the record now on screen, if any. */
  _viewChanged(view) {
    const id = view && typeof view.recordId === 'string' ? view.recordId : '';
    this._onScreen = id ? { id, type: view.objectType || '', name: view.recordName || '' } : null;
    this._hooks.onChange();
  }

  /** @returns {{id, type, name}|null} the record the agent has on screen in Salesforce */
  recordOnScreen() {
    return this._onScreen;
  }

  /** Links a call to the record on screen ("link this call to the record on screen"). */
  linkToRecordOnScreen(callId) {
    if (!this._onScreen) return;
    this._store.linkRecord(callId, this._onScreen);
    this._hooks.onChange();
  }

  /** The agent chose one of several matching records: it opens, and the call's Task links to it. */
  chooseMatch(callId, record) {
    this._store.linkRecord(callId, record);
    this._hooks.onChange();
    this._screenPop(this._openCti.screenPopTypes.SOBJECT, { recordId: record.id }, `Opening ${record.name || record.id}`);
  }

  _screenPop(type, params, what, extra = {}) {
    return this._openCti.call('screenPop', { type, params, ...extra }).catch((err) => this._hooks.onError(what, err));
  }

  /** The org's softphone layout, asked once (null when Salesforce cannot give it). */
  _softphoneLayout() {
    if (!this._layout) this._layout = this._openCti.call('getSoftphoneLayout').catch(() => null);
    return this._layout;
  }

  /** @returns {{status, message?}|undefined} the save in progress or failed for a log */
  saveState(logId) {
    return this._saves.get(logId);
  }

  /** @returns {object[]} the Salesforce records the pop of a call found */
  matchesOf(callId) {
    return this._matches.get(callId) || [];
  }

  /** @returns {{id, type, name}|null} the record the call's Task will be linked to */
  recordOf(callId) {
    return this._store.recordOf(callId);
  }

  /** @returns {boolean} Salesforce already holds the Task; only the adapter's acknowledgement is missing */
  taskCreated(logId) {
    return Boolean(this._store.wrapUpOf(logId)?.taskId);
  }

  /** @returns {{disposition, notes}|null} what the agent submitted for a log */
  submittedWrapUp(logId) {
    return this._store.wrapUpOf(logId);
  }

  async _onRinging(call) {
    if (this._popped.has(call.id)) return;
    this._popped.add(call.id);
    // The tab that gets the lock holds it while the call lasts; a tab that hears of the call
    // after it ended finds it popped in the shared storage instead.
    const ended = new Promise((resolve) => this._popLocks.set(call.id, resolve));
    const mine = (await claimUntil(`pop.${call.id}`, ended)) && this._store.claimPop(call.id);
    if (!mine) return this._releasePop(call.id); // another console tab's panel popped it
    this._showPanel();
    if (call.direction === 'inbound') this._searchAndPop(call);
  }

  _releasePop(callId) {
    this._popLocks.get(callId)?.();
    this._popLocks.delete(callId);
  }

  _showPanel() {
    if (!this._openCti.available) return;
    this._openCti.call('setSoftphonePanelVisibility', { visible: true })
      .catch((err) => this._hooks.onError('Opening the phone panel', err));
  }

  /**
   * Searches the caller (deferred: nothing pops by itself), then pops as the layout's
   * screenPopSettings say: Lightning's searchAndScreenPop cannot list several matches in the
   * panel or fill in a new record, so the panel does both itself.
   */
  async _searchAndPop(call) {
    const number = call.from?.number;
    if (!number || !this._openCti.available) return; // a withheld number has nothing to search
    let found;
    try {
      found = matchedRecords(await this._openCti.call('searchAndScreenPop', {
        searchParams: number,
        queryParams: popQueryParams(call),
        callType: this._openCti.callTypes.INBOUND,
        deferred: true,
      }));
    } catch (err) {
      this._hooks.onError(`Searching Salesforce for ${number}`, err);
      return;
    }
    this._matches.set(call.id, found);
    if (found.length === 1) this._store.linkRecord(call.id, found[0]);
    this._hooks.onChange();
    const settings = (await this._softphoneLayout())?.Inbound?.screenPopSettings || {};
    const types = this._openCti.screenPopTypes;
    if (found.length === 1 && settings.SingleMatch?.screenPopType !== 'DoNotPop') {
      this._screenPop(types.SOBJECT, { recordId: found[0].id }, `Opening ${found[0].name || found[0].id}`);
    } else if (found.length === 0 && settings.NoMatch?.screenPopType === 'PopToEntity' && settings.NoMatch.screenPopData) {
      this._screenPop(types.NEW_RECORD_MODAL, { entityName: settings.NoMatch.screenPopData },
        `Opening a new ${settings.NoMatch.screenPopData}`, { defaultFieldValues: { Phone: number } });
    }
  }

  /** `onClickToDial`'s listener: `{number, recordId, recordName, objectType, …}`. */
  async dialFromSalesforce(payload) {
    const number = String(payload?.number ?? '');
    this._showPanel();
    try {
      const { call_id: callId } = await this._client.dial(number);
      if (payload?.recordId) {
        this._store.linkRecord(callId, { id: payload.recordId, type: payload.objectType, name: payload.recordName });
      }
      this._hooks.onChange();
    } catch (err) {
      this._hooks.onError(`Dialing ${number}`, err);
    }
  }

  /**
   * Saves a call log: the Task in Salesforce first, then the acknowledgement in the adapter.
   * @param {object} log  a pending call log of the client
   * @param {{disposition: string, notes: string}} wrapUp
   */
  async save(log, wrapUp) {
    const logId = log.log_id;
    if (this._saves.get(logId)?.status === 'saving') return;
    this._setSave(logId, { status: 'saving' });
    try {
      await withLock(`log.${logId}`, () => this._saveOnce(log, wrapUp));
      this._setSave(logId, null);
    } catch (err) {
      this._setSave(logId, { status: 'failed', message: failureText(err, this.taskCreated(logId)) });
    }
  }

  /** Sends again every pending log whose wrap-up was submitted but not acknowledged. */
  resendSubmitted() {
    for (const log of this._client.pendingLogs) {
      const submitted = this._store.wrapUpOf(log.log_id);
      if (submitted && !submitted.acknowledged) this.save(log, { disposition: submitted.disposition, notes: submitted.notes });
    }
  }

  async _saveOnce(log, wrapUp) {
    // Another panel saved it while this one waited for the lock.
    if (!this._client.getPendingLog(log.log_id) || this._store.wrapUpOf(log.log_id)?.acknowledged) return;
    this._store.submit(log.log_id, wrapUp);
    await this._createTask(log, this._store.wrapUpOf(log.log_id));
    await this._client.saveLog(log.log_id, { disposition: wrapUp.disposition, notes: wrapUp.notes });
    this._store.markAcknowledged(log.log_id);
  }

  async _createTask(log, submitted) {
    if (submitted.taskId) return; // created before; the adapter's acknowledgement was what failed
    const value = taskFields(log, submitted, this._store.recordOf(log.call_id));
    const result = await this._openCti.call('saveLog', { value });
    this._store.markTaskCreated(log.log_id, result && result.recordId);
    // The record's activity timeline shows the new Task without the agent reloading it.
    this._openCti.call('refreshView').catch(() => {});
  }

  _setSave(logId, state) {
    if (state) this._saves.set(logId, state);
    else this._saves.delete(logId);
    this._hooks.onChange();
  }
}

function failureText(err, taskCreated) {
  const reason = err && err.message ? err.message : String(err);
  return taskCreated
    ? `Saved in Salesforce, but the adapter did not take the acknowledgement (${reason}). It is sent again when the adapter is back.`
    : `Salesforce did not save the call log (${reason}). It stays here: press Retry, or it is sent again on the next connection.`;
}
