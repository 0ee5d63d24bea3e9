/**
 * wrap_up_store.js — what the softphone must not forget across a reload or a crash of the
 * browser tab, kept in the browser's localStorage:
 *
 *  - the Salesforce record each call belongs to (the one record searchAndScreenPop found, or
 *    the record whose number the agent clicked), so the Task links to it even when the call
 *    ends after a reload;
 *  - each wrap-up the agent submitted (disposition, notes) until the adapter has acknowledged
 *    the call log, and the id of the Task once Salesforce created it — so a failed save is
 *    sent again on the next connection, and a Task that was created but not acknowledged is
 *    never created twice.
 *
 *  - the calls already popped, so two console tabs (each has its own panel) pop a call once.
 *
 * Every open panel of the org shares the storage, so each read goes to it afresh.
 * The adapter's journal stays the authority on which calls still need a log: entries here
 * only add to a pending record, and are dropped after a week.
 */

const STORAGE_KEY = 'cti-adapter.salesforce.v1';
const KEEP_MS = 7 * 24 * 3600 * 1000;

export class WrapUpStore {
  /** @param {Storage|null} storage  window.localStorage (null: keep in memory only) */
  constructor(storage) {
    this._storage = storage;
    this._data = this._load();
    this._prune();
  }

  /**
   * Marks a call as popped.
   * @returns {boolean} false when a panel popped it already
   */
  claimPop(callId) {
    this._refresh();
    if (this._data.pops[callId]) return false;
    this._data.pops[callId] = { at: Date.now() };
    this._save();
    return true;
  }

  /** Remembers the Salesforce record a call belongs to. */
  linkRecord(callId, record) {
    this._refresh();
    this._data.records[callId] = { id: record.id, type: record.type || '', name: record.name || '', at: Date.now() };
    this._save();
  }

  /** @returns {{id, type, name}|null} */
  recordOf(callId) {
    this._refresh();
    return this._data.records[callId] || null;
  }

  /** Remembers the agent's wrap-up of a call log before it is sent to Salesforce. */
  submit(logId, { disposition, notes }) {
    this._refresh();
    const previous = this._data.wrapUps[logId] || {};
    this._data.wrapUps[logId] = { ...previous, disposition, notes, taskId: previous.taskId || null, at: Date.now() };
    this._save();
  }

  /** @returns {{disposition, notes, taskId}|null} the submitted wrap-up of a log */
  wrapUpOf(logId) {
    this._refresh();
    return this._data.wrapUps[logId] || null;
  }

  /** Salesforce created the Task of a log: it must not be created again. */
  markTaskCreated(logId, taskId) {
    this._refresh();
    const entry = this._data.wrapUps[logId];
    if (!entry) return;
    entry.taskId = taskId || 'created';
    this._save();
  }

  /**
   * The adapter acknowledged the log. The entry stays (until pruned) so that a panel in another
   * tab, which may not have heard of the acknowledgement yet, does not create a second Task.
   */
  markAcknowledged(logId) {
    this._refresh();
    const entry = this._data.wrapUps[logId];
    if (!entry) return;
    entry.acknowledged = true;
    this._save();
  }

  _load() {
    try {
      const parsed = JSON.parse(this._storage?.getItem(STORAGE_KEY) || 'null');
      if (parsed && typeof parsed === 'object') {
        return { records: parsed.records || {}, wrapUps: parsed.wrapUps || {}, pops: parsed.pops || {} };
      }
    } catch { /* unreadable: start empty */ }
    return { records: {}, wrapUps: {}, pops: {} };
  }

  /** Another panel may have written since: read the storage again (kept as is without one). */
  _refresh() {
    if (this._storage) this._data = this._load();
  }

  _save() {
    try {
      this._storage?.setItem(STORAGE_KEY, JSON.stringify(this._data));
    } catch { /* storage full or blocked: the in-memory copy still works for this page */ }
  }

  _prune() {
    const oldest = Date.now() - KEEP_MS;
    for (const table of [this._data.records, this._data.wrapUps, this._data.pops]) {
      for (const [key, entry] of Object.entries(table)) {
        if (!entry || !(entry.at > oldest)) delete table[key];
      }
    }
    this._save();
  }
}
