/**
 * softphone/dial_view.js — the dialler: the number field, the dial pad, the Dial button (or
 * "Dial on your phone" where the adapter cannot dial through the phone system), and how the
 * last dial ended when it did not go through.
 */

import { h, part } from './dom.js';
import { KEYPAD_KEYS, otherParty } from './format.js';

/** What the agent is told when a dial did not go through, by end reason. */
const DIAL_FAILURES = {
  busy: 'is busy',
  rejected: 'refused the call',
  failed: 'could not be reached',
  missed: 'did not answer',
  driver_lost: 'was cut off: the phone system went away',
};

export class DialView {
  /**
   * @param {HTMLElement} root  the dial panel (data-testid dial-panel)
   * @param {{onDial: (number: string, button: HTMLButtonElement) => Promise<unknown>}} hooks
   *   dials; resolves undefined when it failed (the number then stays in the field)
   */
  constructor(root, hooks) {
    this._form = part(root, 'dial-form');
    this._input = part(root, 'dial-input');
    this._button = part(root, 'dial');
    this._outcome = part(root, 'dial-outcome');
    const pad = part(root, 'dialpad');
    for (const [key, letters] of KEYPAD_KEYS) {
      pad.append(h('button', {
        type: 'button', class: 'key', 'data-testid': `dialpad-${key}`, 'aria-label': `Digit ${key}`,
        onclick: () => {
          this._input.value += key;
          this._input.focus();
        },
      }, h('span', { class: 'key-digit' }, key), h('span', { class: 'key-letters', 'aria-hidden': 'true' }, letters)));
    }
    part(root, 'dialpad-backspace').addEventListener('click', () => {
      this._input.value = this._input.value.slice(0, -1);
      this._input.focus();
    });
    this._form.addEventListener('submit', (event) => {
      event.preventDefault();
      const to = this._input.value.trim();
      if (!to) {
        this._input.focus();
        return;
      }
      this._outcome.hidden = true;
      hooks.onDial(to, this._button).then((data) => {
        if (data !== undefined) this._input.value = '';
      });
    });
  }

  /** A phone system the adapter cannot dial through: the dialler says so instead of failing. */
  setCanDial(dials) {
    this._button.disabled = !dials;
    this._button.textContent = dials ? 'Dial' : 'Dial on your phone';
    this._form.dataset.canDial = String(dials);
  }

  /** Says why an outbound call that was never answered ended, when it is a failure to tell. */
  showEnded(call, reason, detail) {
    if (call.direction !== 'outbound' || call.answered_at || !DIAL_FAILURES[reason]) return;
    const party = otherParty(call);
    this._outcome.textContent = `${party.name || party.number || 'The number'} ${DIAL_FAILURES[reason]}` +
      (detail ? ` (${detail})` : '');
    this._outcome.dataset.reason = reason;
    this._outcome.hidden = false;
  }
}
