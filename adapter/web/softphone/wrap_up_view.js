/**
 * softphone/wrap_up_view.js — the call logs no page has saved yet, newest first: a card each
 * with a disposition and notes, saved with Enter or Save. The newest is open; older ones fold
 * into a count, so the dialler below stays in reach however many calls wait. Cards are kept
 * in place while others come and go, and the focus moves on when a saved card goes.
 */

import { cssSafe, h, part } from './dom.js';
import { logFacts } from './log_facts.js';

export class WrapUpView {
  /**
   * @param {HTMLElement} root  the wrap-up panel (data-testid wrap-up-panel)
   * @param {string[]} dispositions  what a call can be given (the first is preselected)
   * @param {{onSave: (logId: string, fields: {disposition: string, notes?: string}, button: HTMLButtonElement) => Promise<unknown>}} hooks
   *   saves one wrap-up; on success the client drops the log and `render` removes the card
   */
  constructor(root, dispositions, hooks) {
    this._pending = part(root, 'pending-logs');
    this._count = part(root, 'pending-count');
    this._more = part(root, 'pending-more');
    this._empty = part(root, 'no-pending-logs');
    this._title = root.querySelector('#wrapup-title');
    this._hint = root.querySelector('#wrapup-hint');
    this._dispositions = dispositions;
    this._onSave = hooks.onSave;
    /** @type {Map<string, {root: HTMLFormElement, [key: string]: any}>} */
    this._cards = new Map();
    /** Numbers the cards, so the ids their labels point at are unique whatever the log ids hold. */
    this._cardNumber = 0;
    /** Whether the older wrap-ups are shown; they fold away again once one or none is left. */
    this._expanded = false;
    this._more.addEventListener('click', () => {
      this._expanded = !this._expanded;
      this._showFold(this._pending.children.length);
    });
  }

  /** Shows exactly the pending `logs` (oldest first, as cti.js keeps them). */
  render(logs) {
    // Newest first: the call that just ended is the one to wrap up.
    const ordered = [...logs].reverse();
    const wanted = new Set(ordered.map((log) => log.log_id));
    const active = this._pending.ownerDocument.activeElement;
    const body = this._pending.ownerDocument.body;
    let focusLost = -1;
    let index = 0;
    for (const [id, card] of this._cards) {
      if (!wanted.has(id)) {
        const nowhere = !active || active === body;
        if ((active && card.root.contains(active)) || (card.hadFocus && nowhere)) focusLost = index;
        card.root.remove();
        this._cards.delete(id);
      } else {
        index++;
      }
    }
    // Create the new cards and put every card in its place without moving the others (moving a
    // node would take the focus away from a field being typed in).
    ordered.forEach((log, position) => {
      let card = this._cards.get(log.log_id);
      if (!card) {
        card = this._create(log);
        this._cards.set(log.log_id, card);
      }
      const here = this._pending.children[position];
      if (here !== card.root) this._pending.insertBefore(card.root, here || null);
    });

    const count = ordered.length;
    if (count <= 1) this._expanded = false;
    this._showFold(count);
    this._pending.dataset.count = String(count);
    this._count.textContent = String(count);
    this._count.hidden = count === 0;
    this._empty.hidden = count > 0;
    this._hint.hidden = count === 0;

    // The saved card had the focus: hand it to the card that took its place, or the heading.
    if (focusLost >= 0) {
      const next = this._pending.children[Math.min(focusLost, this._pending.children.length - 1)];
      const target = next ? next.querySelector('[data-testid="log-disposition"]') : this._title;
      if (target) target.focus();
    }
  }

  /** Shows the newest wrap-up and, folded or not, the others, with the button that says how many. */
  _showFold(count) {
    [...this._pending.children].forEach((card, position) => {
      card.hidden = position > 0 && !this._expanded;
    });
    this._pending.dataset.expanded = String(this._expanded);
    this._more.hidden = count <= 1;
    this._more.setAttribute('aria-expanded', String(this._expanded));
    this._more.textContent = this._expanded ? 'Show only the newest' : `${count - 1} more to wrap up`;
  }

  _create(log) {
    const id = log.log_id;
    const safe = `${++this._cardNumber}-${cssSafe(id)}`;
    const card = { root: null, saving: false };
    const facts = logFacts(log, 'log');
    const who = facts.party.name || facts.party.number || 'unknown';

    card.disposition = h('select', { id: `log-disposition-${safe}`, class: 'log-select', 'data-testid': 'log-disposition' },
      ...this._dispositions.map((label) => h('option', { value: label }, label)));
    card.notes = h('textarea', {
      id: `log-notes-${safe}`, class: 'log-notes', 'data-testid': 'log-notes', rows: '2', maxlength: '8000',
      'aria-describedby': 'wrapup-hint', placeholder: 'What was the call about?',
    });
    card.save = h('button', {
      type: 'submit', class: 'button primary', 'data-testid': 'log-save',
      'aria-label': `Save wrap-up of the call with ${who}`,
    }, 'Save');
    const warning = log.journaled === false
      ? h('p', { class: 'log-warning', 'data-testid': 'log-not-journaled' },
        'The adapter could not write this call to its log file.')
      : null;

    card.root = h('form', {
      class: 'log-card', 'data-testid': 'pending-log', dataset: { logId: id },
      'aria-label': `Wrap-up of the call with ${who}`, autocomplete: 'off',
      onsubmit: (event) => {
        event.preventDefault();
        this._save(card, id);
      },
      onkeydown: (event) => {
        // Enter saves from the select and the notes; Shift+Enter keeps a new line in the notes.
        const field = event.target;
        if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
        if (field !== card.notes && field !== card.disposition) return;
        event.preventDefault();
        card.root.requestSubmit(card.save);
      },
    },
    facts.head,
    facts.meta,
    facts.detail,
    warning,
    h('div', { class: 'log-field' },
      h('label', { for: card.disposition.id }, 'Disposition'),
      card.disposition),
    h('div', { class: 'log-field' },
      h('label', { for: card.notes.id }, 'Notes'),
      card.notes),
    h('div', { class: 'actions' }, card.save));
    return card;
  }

  async _save(card, logId) {
    if (card.saving) return;
    card.saving = true;
    // Disabling the focused Save button drops the focus; remember where it was.
    card.hadFocus = card.root.contains(card.root.ownerDocument.activeElement);
    card.root.setAttribute('aria-busy', 'true');
    card.notes.readOnly = true;
    const notes = card.notes.value.trim();
    await this._onSave(logId, {
      disposition: card.disposition.value,
      notes: notes === '' ? undefined : notes,
    }, card.save);
    card.saving = false;
    card.hadFocus = false;
    card.root.removeAttribute('aria-busy');
    card.notes.readOnly = false;
  }
}
