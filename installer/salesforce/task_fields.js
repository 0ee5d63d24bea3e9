/**
 * task_fields.js — the Salesforce Task (a "call log" in Salesforce's words) for one of the
 * adapter's call-log records, with the agent's wrap-up and the record the call belongs to.
 *
 * The fields are the ones the legacy CTI Toolkit adapter wrote, so reports built on its Tasks
 * keep working: Subject, CallType, CallDurationInSeconds, CallDisposition, CallObject,
 * Description, Status, ActivityDate, WhoId / WhatId; and TaskSubtype 'Call', which Lightning's
 * activity timeline needs to show it as a call.
 */

/** Salesforce's Task.CallType picklist values, by the adapter's call_type. */
const CALL_TYPES = { inbound: 'Inbound', outbound: 'Outbound', internal: 'Internal' };

/** Objects that go into WhoId (people); every other object goes into WhatId. */
const WHO_OBJECTS = new Set(['Contact', 'Lead']);

/** Field lengths of the Task object (longer values make saveLog fail). */
const MAX_SUBJECT = 255;
const MAX_SHORT_FIELD = 255; // CallDisposition, CallObject
const MAX_DESCRIPTION = 32000;

/** The party the agent talked to: the caller, or the callee of an outbound call. */
export function otherParty(log) {
  const party = (log.call_type === 'outbound' ? log.to : log.from) || {};
  return { number: party.number || '', name: party.name || '' };
}

/** "Inbound call from Ada Lovelace (+14155550123)", "Outbound call to +14155550199". */
export function taskSubject(log) {
  const type = CALL_TYPES[log.call_type] || 'Phone';
  const { number, name } = otherParty(log);
  const who = name && number ? `${name} (${number})` : name || number || 'unknown number';
  const preposition = log.call_type === 'outbound' ? 'to' : 'from';
  return clip(`${type} call ${preposition} ${who}`, MAX_SUBJECT);
}

/** The agent's local calendar day of an ISO timestamp, as Salesforce dates are written. */
export function activityDate(iso) {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return undefined;
  const pad = (n) => String(n).padStart(2, '0');
  return `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}`;
}

/**
 * The `value` for `sforce.opencti.saveLog`.
 * @param {object} log        the adapter's call-log record (PROTOCOL.md section 3.3)
 * @param {{disposition?: string, notes?: string}} wrapUp
 * @param {{id: string, type: string}|null} record  the Salesforce record the call belongs to
 */
export function taskFields(log, wrapUp = {}, record = null) {
  const value = {
    entityApiName: 'Task',
    TaskSubtype: 'Call', // shown as a call in the activity timeline, not as a to-do
    Subject: taskSubject(log),
    CallType: CALL_TYPES[log.call_type] || 'Inbound',
    CallDurationInSeconds: Math.max(0, Math.round(Number(log.duration_s) || 0)),
    CallDisposition: clip(wrapUp.disposition || '', MAX_SHORT_FIELD),
    CallObject: clip(log.call_id, MAX_SHORT_FIELD),
    Description: clip(wrapUp.notes || '', MAX_DESCRIPTION),
    Status: 'Completed',
    ActivityDate: activityDate(log.started_at),
  };
  if (record && record.id) {
    value[WHO_OBJECTS.has(record.type) ? 'WhoId' : 'WhatId'] = record.id;
  }
  return value;
}

function clip(text, max) {
  const s = String(text ?? '');
  return s.length > max ? s.slice(0, max) : s;
}
