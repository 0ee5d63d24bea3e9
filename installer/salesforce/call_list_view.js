/**
 * call_list_view.js — the active calls of the panel, one card per call with the buttons its
 * state allows. Cards are keyed by call id and updated in place, so a focused button survives
 * the events that follow.
 */

const STATE_LABELS = { ringing: 'Ringing', dialing: 'Dialing', connected: 'Connected', held: 'On hold' };
const DIRECTION_LABELS = { inbound: 'Inbound', outbound: 'Outbound', internal: 'Internal' };

/** [command, label, states in which it applies, directions (all when omitted)] */
const BUTTONS = [
  ['answer', 'Answer', ['ringing'], ['inbound', 'internal']],
  ['decline', 'Decline', ['ringing'], ['inbound', 'internal']],
  ['hold', 'Hold', ['connected']],
  ['resume', 'Resume', ['held']],
  ['hangup', 'Hang up', ['dialing', 'connected', 'held']],
];

export class CallListView {
  /**
   * @param {HTMLElement} container
   * @param {{onCommand: (command: string, call: object) => void,
   *          recordOf: (callId: string) => object|null,
   *          matchesOf: (callId: string) => object[]}} hooks
   */
  constructor(container, hooks) {
    this._container = container;
    this._hooks = hooks;
    /** @type {Map<string, HTMLElement>} */
    this._cards = new Map();
  }

  /** Shows exactly `calls`, with the buttons `capabilities` allow. */
  render(calls, capabilities) {
    const ids = new Set(calls.map((c) => c.id));
    for (const [id, card] of this._cards) {
      if (!ids.has(id)) {
        card.remove();
        this._cards.delete(id);
      }
    }
    for (const call of calls) this._update(this._cardFor(call), call, capabilities);
  }

  _cardFor(call) {
    let card = this._cards.get(call.id);
    if (!card) {
      card = document.createElement('article');
      card.className = 'call';
      card.dataset.testid = 'call';
      card.dataset.callId = call.id;
      card.innerHTML = `
        <div class="call-party">
          <span class="call-name" data-testid="call-name"></span>
          <span class="call-number" data-testid="call-number"></span>
        </div>
        <div class="call-meta"><span data-testid="call-state"></span> · <span data-testid="call-direction"></span></div>
        <div class="call-record" data-testid="call-record" hidden></div>
        <div class="call-buttons"></div>`;
      card.querySelector('.call-buttons').addEventListener('click', (ev) => {
        const command = ev.target.closest('button')?.dataset.command;
        if (command) this._hooks.onCommand(command, { id: card.dataset.callId });
      });
      this._container.append(card);
      this._cards.set(call.id, card);
    }
    return card;
  }

  _update(card, call, capabilities) {
    const party = call.direction === 'outbound' ? call.to : call.from;
    card.dataset.state = call.state;
    setText(card, 'call-name', party?.name || (party?.number ? '' : 'Unknown caller'));
    setText(card, 'call-number', party?.number || '');
    setText(card, 'call-state', STATE_LABELS[call.state] || call.state);
    setText(card, 'call-direction', DIRECTION_LABELS[call.direction] || call.direction);
    this._updateRecord(card, call.id);
    this._updateButtons(card, call, capabilities);
  }

  _updateRecord(card, callId) {
    const line = card.querySelector('[data-testid="call-record"]');
    const record = this._hooks.recordOf(callId);
    const matches = this._hooks.matchesOf(callId);
    let text = '';
    if (record) text = `${record.type || 'Record'}: ${record.name || record.id}`;
    else if (matches.length > 1) text = `${matches.length} matching records in Salesforce`;
    line.textContent = text;
    line.hidden = !text;
  }

  _updateButtons(card, call, capabilities) {
    const wanted = BUTTONS.filter(([command, , states, directions]) => states.includes(call.state)
      && (!directions || directions.includes(call.direction))
      && capabilities.includes(command));
    const box = card.querySelector('.call-buttons');
    const current = [...box.children].map((b) => b.dataset.command).join(',');
    if (current === wanted.map(([command]) => command).join(',')) return;
    box.replaceChildren(...wanted.map(([command, label]) => button(command, label)));
  }
}

function button(command, label) {
  const b = document.createElement('button');
  b.type = 'button';
  b.dataset.command = command;
  b.dataset.testid = command;
  b.textContent = label;
  if (command === 'answer') b.className = 'primary';
  if (command === 'hangup' || command === 'decline') b.className = 'danger';
  return b;
}

function setText(root, testid, text) {
  const el = root.querySelector(`[data-testid="${testid}"]`);
  if (el.textContent !== text) el.textContent = text;
}
