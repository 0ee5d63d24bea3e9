/**
 * softphone/incoming_calls_view.js — ringing calls, one card each with Answer and Decline,
 * or a word where the phone itself must answer (a desk phone watched by the SIP driver).
 * Cards are keyed by call id and updated in place, so a focused button survives the events
 * that follow.
 */

import { h, syncCards } from './dom.js';
import { callDuration, otherParty } from './format.js';

export class IncomingCallsView {
  /**
   * @param {HTMLElement} root  the incoming section (data-testid incoming-calls)
   * @param {{phone: {can: Function, getCall: Function, answer: Function, decline: Function},
   *          run: (action: string, button: HTMLElement, command: () => Promise<unknown>) => Promise<unknown>}} hooks
   *   `phone` is the CtiClient (or a stand-in); `run` runs a command for a button
   */
  constructor(root, hooks) {
    this._root = root;
    this._phone = hooks.phone;
    this._run = hooks.run;
    /** @type {Map<string, {root: HTMLElement, [key: string]: any}>} */
    this._cards = new Map();
  }

  /** Shows exactly the ringing `calls`. */
  render(calls) {
    syncCards(this._root, this._cards, calls, (call) => this._create(call), (card, call) => this._update(card, call));
  }

  /** Updates the ringing times. Called every second. */
  tick() {
    for (const [id, card] of this._cards) {
      const call = this._phone.getCall(id);
      if (call) card.timer.textContent = callDuration(call);
    }
  }

  _create(call) {
    const card = { root: null };
    const answer = h('button', {
      type: 'button', class: 'button accept', 'data-testid': 'answer',
      onclick: () => this._run('Answer', answer, () => this._phone.answer(call.id)),
    }, 'Answer');
    const decline = h('button', {
      type: 'button', class: 'button danger', 'data-testid': 'decline',
      onclick: () => this._run('Decline', decline, () => this._phone.decline(call.id)),
    }, 'Decline');
    card.kind = h('p', { class: 'incoming-kind' });
    card.name = h('p', { class: 'caller-name', 'data-testid': 'caller-name' });
    card.number = h('p', { class: 'caller-number', 'data-testid': 'caller-number' });
    card.timer = h('span', { class: 'ring-time', 'data-testid': 'ring-duration' });
    card.answer = answer;
    card.decline = decline;
    card.phoneOnly = h('p', { class: 'phone-only', 'data-testid': 'phone-only' });
    card.root = h('article', {
      class: 'call-card incoming-card', 'data-testid': 'incoming-call',
      dataset: { callId: call.id },
    },
    h('div', { class: 'incoming-head' }, card.kind, card.timer),
    card.name,
    card.number,
    h('div', { class: 'actions' }, answer, decline),
    card.phoneOnly);
    return card;
  }

  _update(card, call) {
    const party = otherParty(call);
    const who = party.name || party.number || 'Unknown caller';
    card.root.dataset.state = call.state;
    card.root.dataset.direction = call.direction;
    card.root.setAttribute('aria-label', `${call.direction === 'internal' ? 'Internal' : 'Incoming'} call from ${who}`);
    card.kind.textContent = call.direction === 'internal' ? 'Internal call' : 'Incoming call';
    card.name.textContent = party.name || 'Unknown caller';
    card.number.textContent = party.number;
    card.timer.textContent = callDuration(call);
    card.answer.setAttribute('aria-label', `Answer call from ${who}`);
    card.decline.setAttribute('aria-label', `Decline call from ${who}`);
    // Only what the phone can do from here; the rest is said in a word.
    card.answer.hidden = !this._phone.can('answer', call);
    card.decline.hidden = !this._phone.can('decline', call);
    card.phoneOnly.textContent = card.answer.hidden ? 'answer on your phone' : '';
    card.phoneOnly.hidden = !card.answer.hidden;
  }
}
