/**
 * call_list_view.js — the active calls of the panel, one card per call with the controls its
 * state and the adapter's driver allow (hello's capabilities): answer, decline, hold, resume,
 * transfer (a number field), tones (a keypad), hang up. A card also shows the Salesforce record
 * the call belongs to, the records to choose from when the caller's number matched several, and
 * a button to link the call to the record on screen. Cards are keyed by call id and updated in
 * place, so a focused button survives the events that follow.
 */

const STATE_LABELS = { ringing: 'Ringing', dialing: 'Dialing', connected: 'Connected', held: 'On hold' };
const DIRECTION_LABELS = { inbound: 'Inbound', outbound: 'Outbound', internal: 'Internal' };

/** [command, label, states in which it applies, directions (all when omitted)] */
const BUTTONS = [
  ['answer', 'Answer', ['ringing'], ['inbound', 'internal']],
  ['decline', 'Decline', ['ringing'], ['inbound', 'internal']],
  ['hold', 'Hold', ['connected']],
  ['resume', 'Resume', ['held']],
  ['transfer', 'Transfer…', ['connected', 'held']],
  ['dtmf', 'Keypad', ['connected']],
  ['hangup', 'Hang up', ['dialing', 'connected', 'held']],
];

/** Controls that open a part of the card rather than send a command at once. */
const TOGGLES = { transfer: 'transfer-form', dtmf: 'keypad' };
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

export class CallListView {
  /**
   * @param {HTMLElement} container
   * @param {{onCommand: (command: string, call: object) => void,
   *          onTransfer: (callId: string, number: string) => Promise<boolean>,
   *          onTone: (callId: string, digit: string) => void,
   *          onChooseMatch: (callId: string, record: object) => void,
   *          onLinkOnScreen: (callId: string) => void,
   *          recordOf: (callId: string) => object|null,
   *          matchesOf: (callId: string) => object[],
   *          recordOnScreen: () => object|null}} hooks
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
        <div class="call-matches" data-testid="matches" role="group" aria-label="Matching records" hidden></div>
        <button type="button" class="small" data-testid="link-on-screen" hidden></button>
        <div class="call-buttons"></div>
        <form class="call-transfer" data-testid="transfer-form" hidden>
          <input type="tel" inputmode="tel" maxlength="64" spellcheck="false" data-testid="transfer-input" aria-label="Transfer to" placeholder="Transfer to"/>
          <button type="submit" class="primary" data-testid="transfer-go">Transfer</button>
        </form>
        <div class="call-keypad" data-testid="keypad" role="group" aria-label="Tones" hidden></div>`;
      const callId = () => card.dataset.callId;
      card.querySelector('.call-buttons').addEventListener('click', (ev) => {
        const command = ev.target.closest('button')?.dataset.command;
        if (!command) return;
        if (TOGGLES[command]) return this._toggle(card, command);
        this._hooks.onCommand(command, { id: callId() });
      });
      const transfer = card.querySelector('[data-testid="transfer-form"]');
      transfer.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        const input = transfer.querySelector('input');
        const number = input.value.trim();
        if (number && await this._hooks.onTransfer(callId(), number)) {
          input.value = '';
          transfer.hidden = true;
        }
      });
      const keypad = card.querySelector('[data-testid="keypad"]');
      keypad.append(...KEYS.map((key) => {
        const b = button('tone', key);
        b.dataset.testid = `tone-${key}`;
        b.dataset.digit = key;
        b.setAttribute('aria-label', `Tone ${key}`);
        return b;
      }));
      keypad.addEventListener('click', (ev) => {
        const digit = ev.target.closest('button')?.dataset.digit;
        if (digit) this._hooks.onTone(callId(), digit);
      });
      card.querySelector('[data-testid="matches"]').addEventListener('click', (ev) => {
        const id = ev.target.closest('button')?.dataset.recordId;
        const record = this._hooks.matchesOf(callId()).find((r) => r.id === id);
        if (record) this._hooks.onChooseMatch(callId(), record);
      });
      card.querySelector('[data-testid="link-on-screen"]').addEventListener('click', () => this._hooks.onLinkOnScreen(callId()));
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
    if (record) text = `${describe(record)}`;
    else if (matches.length > 1) text = `${matches.length} matching records in Salesforce: choose one`;
    setIfChanged(line, 'textContent', text);
    line.hidden = !text;

    // Several matches and none chosen yet: one button per record.
    const list = card.querySelector('[data-testid="matches"]');
    const choices = !record && matches.length > 1 ? matches : [];
    const shown = [...list.children].map((b) => b.dataset.recordId).join(',');
    if (shown !== choices.map((r) => r.id).join(',')) {
      list.replaceChildren(...choices.map((r) => {
        const b = button('match', describe(r));
        b.dataset.testid = 'match';
        b.dataset.recordId = r.id;
        b.className = 'small';
        return b;
      }));
    }
    list.hidden = choices.length === 0;

    // The record on screen, when it is not the call's record already.
    const link = card.querySelector('[data-testid="link-on-screen"]');
    const onScreen = this._hooks.recordOnScreen();
    const offer = onScreen && onScreen.id !== record?.id;
    setIfChanged(link, 'textContent', offer ? `Link this call to ${describe(onScreen)}` : '');
    link.hidden = !offer;
  }

  _toggle(card, command) {
    const part = card.querySelector(`[data-testid="${TOGGLES[command]}"]`);
    part.hidden = !part.hidden;
    card.querySelector(`.call-buttons [data-command="${command}"]`)?.setAttribute('aria-expanded', String(!part.hidden));
    if (!part.hidden) part.querySelector('input, button')?.focus();
  }

  _updateButtons(card, call, capabilities) {
    const wanted = BUTTONS.filter(([command, , states, directions]) => states.includes(call.state)
      && (!directions || directions.includes(call.direction))
      && capabilities.includes(command));
    const box = card.querySelector('.call-buttons');
    // A part whose control went away (the call was put on hold, the driver cannot) closes.
    for (const [command, testid] of Object.entries(TOGGLES)) {
      if (!wanted.some(([c]) => c === command)) card.querySelector(`[data-testid="${testid}"]`).hidden = true;
    }
    const current = [...box.children].map((b) => b.dataset.command).join(',');
    if (current === wanted.map(([command]) => command).join(',')) return;
    box.replaceChildren(...wanted.map(([command, label]) => {
      const b = button(command, label);
      if (TOGGLES[command]) b.setAttribute('aria-expanded', 'false');
      return b;
    }));
  }
}

/** "Contact: Ada Lovelace" */
function describe(record) {
  return `${record.type || 'Record'}: ${record.name || record.id}`;
}

function setIfChanged(el, property, value) {
  if (el[property] !== value) el[property] = value;
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
