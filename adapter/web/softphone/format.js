/**
 * softphone/format.js — how the softphone page words and formats what the adapter sends: the
 * party on the other end, durations and times, and the labels of states, directions and
 * screen-pop fields. No DOM here, so each rule is written once and tested on its own.
 */

export const STATE_LABELS = {
  ringing: 'Ringing',
  dialing: 'Dialing',
  connected: 'Connected',
  held: 'On hold',
  ended: 'Ended',
};

export const DIRECTION_LABELS = { inbound: 'Inbound', outbound: 'Outbound', internal: 'Internal' };
export const DIRECTION_ICONS = { inbound: '↙', outbound: '↗', internal: '↔' };

export const CONNECTION_LABELS = { connected: 'Connected', connecting: 'Connecting…', disconnected: 'Disconnected' };

/** A direction (or call type) in words; an unknown one as it came. */
export function directionLabel(direction) {
  return DIRECTION_LABELS[direction] || direction;
}

/** The party on the other end of a call. */
export function otherParty(call) {
  const party = call.direction === 'outbound' ? call.to : call.from;
  return { number: (party && party.number) || '', name: (party && party.name) || '' };
}

/** The party on the other end of a call log (call logs say `call_type`, calls `direction`). */
export function logParty(log) {
  const party = log.call_type === 'outbound' ? log.to : log.from;
  return { number: (party && party.number) || '', name: (party && party.name) || '' };
}

/** The other party of a popped call as the phone system names it, or "Unknown caller". */
export function remoteParty(event) {
  const party = (event.call_type === 'outbound' ? event.called : event.caller) || {};
  return party.name || party.number || 'Unknown caller';
}

/** A number of seconds as m:ss or h:mm:ss (negative and unreadable as 0:00). */
export function formatSeconds(total) {
  let s = Math.max(0, Math.floor(Number(total) || 0));
  const hours = Math.floor(s / 3600);
  s -= hours * 3600;
  const minutes = Math.floor(s / 60);
  const seconds = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** The time from `fromIso` to `toMs` as m:ss or h:mm:ss; 0:00 when `fromIso` is no time. */
export function formatDuration(fromIso, toMs = Date.now()) {
  const from = Date.parse(fromIso);
  if (Number.isNaN(from)) return '0:00';
  return formatSeconds((toMs - from) / 1000);
}

/** A call's running time: talk time once answered, otherwise time since it started. */
export function callDuration(call, nowMs = Date.now()) {
  return formatDuration(call.answered_at || call.started_at, nowMs);
}

/** The hour and minute of a time in the browser's locale; '' when it is no time. */
export function formatClock(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  return new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

const FIELD_LABELS = {
  from_number: 'From', from_name: 'Caller', to_number: 'To', to_name: 'Called',
  call_type: 'Call type', call_id: 'Call id', started_at: 'Started',
};

/** A screen-pop field's label: "contact.account_owner" -> "Account owner". */
export function fieldLabel(key) {
  if (FIELD_LABELS[key]) return FIELD_LABELS[key];
  const name = key.replace(/^contact\./, '').replace(/_/g, ' ');
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** A screen-pop field's value in words: the call type named, the start time as a clock time. */
export function fieldText(key, value) {
  if (key === 'call_type') return directionLabel(value);
  if (key === 'started_at') return formatClock(value);
  return value;
}

/** The keys of a phone's keypad with the letters printed under them, row by row. */
export const KEYPAD_KEYS = [
  ['1', ''], ['2', 'ABC'], ['3', 'DEF'],
  ['4', 'GHI'], ['5', 'JKL'], ['6', 'MNO'],
  ['7', 'PQRS'], ['8', 'TUV'], ['9', 'WXYZ'],
  ['*', ''], ['0', ''], ['#', ''],
];
