/**
 * softphone/log_facts.js — the facts a call log shows wherever it is listed (the wrap-up cards
 * and the history): party, number, call type, end reason, talk time, time, and the phone
 * system's reason where the call did not come about.
 */

import { cssSafe, h } from './dom.js';
import { directionLabel, formatClock, formatSeconds, logParty } from './format.js';

/**
 * @param {object} log  a call log (cti.js CallLog)
 * @param {string} prefix  of the data-testids: 'log' in the wrap-up, 'history' in the history
 * @returns {{party: {number: string, name: string}, head: HTMLElement, meta: HTMLElement, detail: HTMLElement|string}}
 */
export function logFacts(log, prefix) {
  const party = logParty(log);
  const reason = log.end_reason || 'normal';
  const when = formatClock(log.ended_at || log.started_at);
  return {
    party,
    head: h('div', { class: 'log-head' },
      h('p', { class: 'log-party', 'data-testid': `${prefix}-party` }, party.name || party.number || 'Unknown'),
      h('span', { class: `reason reason-${cssSafe(reason)}`, 'data-testid': `${prefix}-end-reason` }, reason)),
    meta: h('p', { class: 'log-meta' },
      h('span', { class: 'log-number', 'data-testid': `${prefix}-number` }, party.number),
      party.number ? ' · ' : '',
      h('span', { 'data-testid': `${prefix}-call-type` }, directionLabel(log.call_type) || ''),
      ' · ',
      h('span', { class: 'visually-hidden' }, 'talk time '),
      h('span', { class: 'duration', 'data-testid': `${prefix}-duration`, title: 'Talk time' }, formatSeconds(log.duration_s)),
      when ? ' · ' : '',
      when ? h('time', { datetime: log.ended_at || log.started_at }, when) : ''),
    // The phone system's reason, where the call did not come about ("486 Busy Here").
    detail: log.end_detail
      ? h('p', { class: 'log-detail', 'data-testid': `${prefix}-end-detail` }, log.end_detail)
      : '',
  };
}
