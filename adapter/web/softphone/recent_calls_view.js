/**
 * softphone/recent_calls_view.js — the calls that ended while the page was open, newest first:
 * who, how it ended (with the phone system's words), when and how long, and a button to call
 * back.
 */

import { cssSafe, h, part } from './dom.js';
import { DIRECTION_ICONS, directionLabel, formatClock, formatDuration, otherParty } from './format.js';

/** How many ended calls the page lists. */
export const RECENT_LIMIT = 5;

export class RecentCallsView {
  /**
   * @param {HTMLElement} root  the recent panel (data-testid recent-panel)
   * @param {{onCallBack: (number: string, button: HTMLButtonElement) => void}} hooks
   */
  constructor(root, hooks) {
    this._list = part(root, 'recent-calls');
    this._empty = part(root, 'no-recent-calls');
    this._onCallBack = hooks.onCallBack;
    /** @type {{call: object, reason: string, detail: string}[]} newest first */
    this._calls = [];
    this._render();
  }

  /** Puts an ended call on top. */
  add(call, reason, detail) {
    this._calls.unshift({ call, reason, detail });
    this._calls.length = Math.min(this._calls.length, RECENT_LIMIT);
    this._render();
  }

  _render() {
    this._list.replaceChildren(...this._calls.map(({ call, reason, detail }) => this._item(call, reason, detail)));
    this._empty.hidden = this._calls.length > 0;
  }

  _item(call, reason, detail) {
    const party = otherParty(call);
    const talk = call.answered_at && call.ended_at
      ? formatDuration(call.answered_at, Date.parse(call.ended_at))
      : '';
    const when = [formatClock(call.ended_at || call.started_at), talk].filter(Boolean).join(' · ');
    const callBack = party.number
      ? h('button', {
        type: 'button', class: 'icon-button', 'data-testid': 'recent-callback',
        'aria-label': `Call back ${party.name || party.number}`, title: 'Call back',
        onclick: (event) => this._onCallBack(party.number, event.currentTarget),
      }, '✆')
      : null;
    return h('li', {
      class: 'recent-item', 'data-testid': 'recent-call',
      dataset: { callId: call.id, reason, direction: call.direction },
    },
    h('span', {
      class: `dir-icon dir-${call.direction}`, title: directionLabel(call.direction),
      'aria-label': directionLabel(call.direction),
    }, DIRECTION_ICONS[call.direction] || '•'),
    h('div', { class: 'recent-who' },
      h('p', { class: 'recent-party', 'data-testid': 'recent-party' }, party.name || party.number || 'Unknown'),
      h('p', { class: 'recent-number', 'data-testid': 'recent-number' }, party.name ? party.number : '')),
    h('div', { class: 'recent-side' },
      h('span', { class: `reason reason-${cssSafe(reason)}`, 'data-testid': 'recent-reason', title: detail }, reason),
      detail ? h('span', { class: 'recent-detail', 'data-testid': 'recent-detail' }, detail) : '',
      h('span', { class: 'recent-when' }, when)),
    callBack);
  }
}
