/**
 * cti/protocol.js — the wire vocabulary every part of the client shares (docs/PROTOCOL.md):
 * the protocol version, the adapter's event names, the shapes of calls, call logs and frames,
 * the error commands reject with, and the parsing of one frame.
 */

/** Protocol version spoken by this client. */
export const PROTOCOL_VERSION = 1;

/** Names of the events the adapter sends (section 3 of the protocol). */
export const EVENT_NAMES = Object.freeze([
  'call.ringing',
  'call.dialing',
  'call.connected',
  'call.held',
  'call.resumed',
  'call.ended',
  'screen_pop',
  'agent.state',
  'call_log',
  'call_log.saved',
  'driver.status',
]);

/** WebSocket.OPEN; spelled out so a WebSocket implementation without the constant works too. */
export const WS_OPEN = 1;

/**
 * @typedef {Object} Party
 * @property {string} number
 * @property {string} name
 */

/**
 * A call as the adapter describes it (protocol section 3.1).
 * @typedef {Object} Call
 * @property {string} id
 * @property {'inbound'|'outbound'|'internal'} direction
 * @property {'ringing'|'dialing'|'connected'|'held'|'ended'} state
 * @property {Party} from
 * @property {Party} to
 * @property {string} started_at        ISO-8601 UTC
 * @property {string|null} answered_at
 * @property {string|null} ended_at
 * @property {string|null} end_reason
 * @property {string|null} end_detail      once ended: the phone system's reason in words, or ""
 * @property {string} driver
 */

/**
 * The journal record of an ended call (protocol section 3.3).
 * @typedef {Object} CallLog
 * @property {string} log_id
 * @property {string} call_id
 * @property {'inbound'|'outbound'|'internal'} call_type
 * @property {Party} from
 * @property {Party} to
 * @property {string} started_at          ISO-8601 UTC
 * @property {string|null} answered_at
 * @property {string} ended_at
 * @property {number} duration_s          from the answer to the end (0 when never answered)
 * @property {string|null} end_reason
 * @property {string|null} end_detail      the phone system's reason in words, or ""
 * @property {string} driver
 * @property {string|null} disposition
 * @property {string|null} notes
 * @property {boolean} acknowledged       true once a page saved it
 * @property {number} cursor              orders the records; pages `history()`
 * @property {boolean} [journaled]        false when the adapter could not write it to disk
 */

/**
 * The agent's state (protocol section 3).
 * @typedef {Object} AgentInfo
 * @property {'ready'|'not_ready'|'wrap_up'} state
 * @property {string|null} reason             `not_ready` only: one of `notReadyReasons`
 * @property {string} since                   ISO-8601 UTC
 * @property {string|null} wrap_up_ends_at    `wrap_up` only: when it turns `ready` by itself
 */

/**
 * A contact a caller's number matched (directory file or HTTP lookup).
 * @typedef {Object} Contact
 * @property {string} id
 * @property {string} name
 * @property {string[]} numbers
 * @property {Object<string, string>} fields   the other columns of the record
 * @property {'directory'|'http'|string} source
 */

/**
 * What a screen pop asks the page to open: nothing, the one matched record, a search, or a
 * new record. `url` is null for `none`.
 * @typedef {Object} PopAction
 * @property {'none'|'record'|'search'|'new_record'} kind
 * @property {string|null} url
 */

/**
 * @typedef {Object} DriverInfo
 * @property {string} name
 * @property {'connecting'|'connected'|'disconnected'|'stopped'|string} status
 * @property {string} detail
 */

/**
 * An event frame as received: `{v, type:'event', seq, epoch, name, call?, ...}`.
 * @typedef {Object} CtiEvent
 * @property {number} seq
 * @property {string} epoch
 * @property {string} name
 * @property {Call} [call]
 * @property {string} [reason]      `call.ended` only
 * @property {CallLog} [log]        `call_log` and `call_log.saved` only
 * @property {DriverInfo} [driver]  `driver.status` only
 * @property {AgentInfo} [agent]    `agent.state` only
 * @property {Contact[]} [matches]  `screen_pop` only: the contacts the number matched
 * @property {PopAction} [pop]      `screen_pop` only: what to open
 */

/**
 * The error every failed command rejects with.
 *
 * `code` is the adapter's error code (`no_such_call`, `invalid_state`, `invalid_number`, …, see
 * protocol section 2.3) or one of the client-side codes:
 *  - `not_connected`: there is no connection to the adapter, or it dropped before the result came;
 *  - `timeout`: no result within `commandTimeoutMs`.
 */
export class CtiError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.name = 'CtiError';
    /** @type {string} */
    this.code = code;
  }
}

/** Parses one frame; returns the object, or null for anything that is not a JSON object. */
export function parseFrame(data) {
  if (typeof data !== 'string') return null;
  try {
    const value = JSON.parse(data);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}
