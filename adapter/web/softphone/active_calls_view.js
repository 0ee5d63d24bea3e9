/**
 * softphone/active_calls_view.js — the calls past ringing (dialing, connected, held), one card
 * each with the controls the phone allows now: Hold or Resume, Hang up, a blind transfer and a
 * keypad for tones. Cards are keyed by call id and updated in place, so typing in a card's
 * transfer field or focusing its buttons survives the events that follow.
 */

import { cssSafe, h, part, syncCards } from './dom.js';
import { KEYPAD_KEYS, STATE_LABELS, callDuration, directionLabel, otherParty } from './format.js';

export class ActiveCallsView {
  /**
   * @param {HTMLElement} root  the calls panel (data-testid calls-panel)
   * @param {{phone: {can: Function, getCall: Function, hold: Function, resume: Function,
   *                  hangup: Function, transfer: Function, dtmf: Function},
   *          run: (action: string, button: HTMLElement, command: () => Promise<unknown>) => Promise<unknown>}} hooks
   *   `phone` is the CtiClient (or a stand-in); `run` runs a command for a button and resolves
   *   undefined when it failed
   */
  constructor(root, hooks) {
    this._list = part(root, 'active-calls');
    this._empty = part(root, 'no-active-calls');
    this._phone = hooks.phone;
    this._run = hooks.run;
    /** @type {Map<string, {root: HTMLElement, [key: string]: any}>} */
    this._cards = new Map();
  }

  /** Shows exactly `calls` (none ringing). */
  render(calls) {
    syncCards(this._list, this._cards, calls, (call) => this._create(call), (card, call) => this._update(card, call));
    this._empty.hidden = calls.length > 0;
  }

  /** Updates the running durations. Called every second. */
  tick() {
    for (const [id, card] of this._cards) {
      const call = this._phone.getCall(id);
      if (call) card.duration.textContent = callDuration(call);
    }
  }

  _create(call) {
    const id = call.id;
    const phone = this._phone;
    const run = this._run;
    const card = { root: null };

    card.name = h('p', { class: 'party-name', 'data-testid': 'call-party-name' });
    card.number = h('p', { class: 'party-number', 'data-testid': 'call-party-number' });
    card.state = h('span', { class: 'badge', 'data-testid': 'call-state' });
    card.direction = h('span', { 'data-testid': 'call-direction' });
    card.duration = h('span', { class: 'duration', 'data-testid': 'call-duration' });

    // One button that is Hold on a connected call and Resume on a held one.
    card.holdToggle = h('button', {
      type: 'button', class: 'button',
      onclick: () => {
        const current = phone.getCall(id);
        if (current && current.state === 'held') {
          run('Resume', card.holdToggle, () => phone.resume(id));
        } else {
          run('Hold', card.holdToggle, () => phone.hold(id));
        }
      },
    });
    card.hangup = h('button', {
      type: 'button', class: 'button danger', 'data-testid': 'hangup',
      onclick: () => run('Hang up', card.hangup, () => phone.hangup(id)),
    }, 'Hang up');

    // Blind transfer.
    const transferId = `transfer-to-${cssSafe(id)}`;
    card.transferTo = h('input', {
      id: transferId, class: 'transfer-input', type: 'tel', inputmode: 'tel',
      placeholder: 'Transfer to…', 'data-testid': 'transfer-to', maxlength: '64', spellcheck: 'false',
    });
    card.transfer = h('button', { type: 'submit', class: 'button', 'data-testid': 'transfer' }, 'Transfer');
    card.transferRow = h('form', {
      class: 'transfer-row', autocomplete: 'off',
      onsubmit: (event) => {
        event.preventDefault();
        const to = card.transferTo.value.trim();
        if (!to) {
          card.transferTo.focus();
          return;
        }
        run('Transfer', card.transfer, () => phone.transfer(id, to)).then((data) => {
          if (data !== undefined) card.transferTo.value = '';
        });
      },
    },
    h('label', { class: 'visually-hidden', for: transferId }, 'Transfer to number'),
    card.transferTo, card.transfer);

    // DTMF keypad.
    card.sent = h('output', { class: 'dtmf-sent', 'data-testid': 'dtmf-sent', 'aria-live': 'polite' });
    const keypad = h('div', { class: 'keypad small', role: 'group', 'aria-label': 'Send tones' });
    for (const [key] of KEYPAD_KEYS) {
      const button = h('button', {
        type: 'button', class: 'key', 'data-testid': `dtmf-${key}`, 'aria-label': `Send tone ${key}`,
        onclick: () => run('DTMF', button, () => phone.dtmf(id, key)).then((data) => {
          if (data !== undefined) card.sent.textContent = (card.sent.textContent + key).slice(-24);
        }),
      }, key);
      keypad.append(button);
    }
    card.dtmf = h('div', { class: 'dtmf' }, h('div', { class: 'dtmf-head' }, h('span', {}, 'Tones'), card.sent), keypad);

    card.root = h('article', {
      class: 'call-card active-card', 'data-testid': 'active-call', dataset: { callId: id },
    },
    h('div', { class: 'call-head' },
      h('div', { class: 'party', 'data-testid': 'call-party' }, card.name, card.number),
      card.state),
    h('p', { class: 'call-meta' }, card.direction, ' · ', card.duration),
    h('div', { class: 'actions' }, card.holdToggle, card.hangup),
    card.phoneOnly = h('p', { class: 'phone-only', 'data-testid': 'phone-only' }),
    card.transferRow,
    card.dtmf);
    return card;
  }

  _update(card, call) {
    const phone = this._phone;
    const party = otherParty(call);
    const who = party.name || party.number || 'unknown';
    card.root.dataset.state = call.state;
    card.root.dataset.direction = call.direction;
    card.root.setAttribute('aria-label', `${STATE_LABELS[call.state] || call.state} call with ${who}`);
    card.name.textContent = party.name || party.number || 'Unknown';
    card.number.textContent = party.name ? party.number : '';
    card.state.textContent = call.state;
    card.state.dataset.state = call.state;
    card.state.title = STATE_LABELS[call.state] || call.state;
    card.direction.textContent = directionLabel(call.direction);
    card.duration.textContent = callDuration(call);

    const held = call.state === 'held';
    card.holdToggle.hidden = !phone.can(held ? 'resume' : 'hold', call);
    card.holdToggle.textContent = held ? 'Resume' : 'Hold';
    card.holdToggle.dataset.testid = held ? 'resume' : 'hold';
    card.holdToggle.setAttribute('aria-label', held ? `Resume call with ${who}` : `Hold call with ${who}`);
    card.holdToggle.classList.toggle('on', held);
    card.hangup.setAttribute('aria-label', `Hang up call with ${who}`);
    card.hangup.hidden = !phone.can('hangup', call);
    card.transferRow.hidden = !phone.can('transfer', call);
    card.dtmf.hidden = !phone.can('dtmf', call);
    // What the phone does not let the page do, in a word (the SIP driver watching a desk phone).
    card.phoneOnly.textContent = card.hangup.hidden ? 'hang up on your phone' : '';
    card.phoneOnly.hidden = !card.hangup.hidden;
  }
}
