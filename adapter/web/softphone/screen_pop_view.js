/**
 * softphone/screen_pop_view.js — screen pops, newest first: the contact(s) the caller's number
 * matched, the configured call fields and the record to open; and the agent's choice to open
 * each pop in a new tab by itself, remembered in the browser.
 */

import { h, part } from './dom.js';
import { directionLabel, fieldLabel, fieldText, remoteParty } from './format.js';

/** How many pops stay listed, newest first. */
export const POP_LIMIT = 3;
/** Where the auto-open choice is kept (localStorage). */
export const AUTO_OPEN_KEY = 'cti-adapter.autoOpenPops';

const POP_LINK_LABELS = { record: 'Open the contact record', search: 'Search the CRM', new_record: 'Create a new record' };
const MATCH_LABELS = { none: '', single: '1 match', multiple: 'several matches' };

function createPopCard(event) {
  const matches = Array.isArray(event.matches) ? event.matches : [];
  const pop = event.pop || { kind: 'none', url: null };
  const fields = (Array.isArray(event.fields) ? event.fields : []).filter((f) => f && f.value);
  const callType = directionLabel(event.call_type);
  const matchList = matches.length
    ? h('ul', { class: 'pop-matches', 'data-testid': 'pop-matches' }, ...matches.map((contact) => h('li', {
      'data-testid': 'pop-match', dataset: { contactId: contact.id, source: contact.source || '' },
    },
    h('p', { class: 'pop-match-name', 'data-testid': 'pop-match-name' }, contact.name || contact.id),
    h('p', { class: 'pop-match-meta' }, [contact.id, ...Object.values(contact.fields || {})].filter(Boolean).join(' · ')))))
    : h('div', {},
      // No directory match: who the phone system says it is (the caller inbound, the number
      // dialled outbound); that the directory lacks them is a detail, not the headline.
      h('p', { class: 'pop-match-name', 'data-testid': 'pop-unknown' }, remoteParty(event)),
      h('p', { class: 'pop-match-meta', 'data-testid': 'pop-not-found' }, 'not in the directory'));
  const fieldList = fields.length
    ? h('dl', { class: 'pop-fields', 'data-testid': 'pop-fields' }, ...fields.flatMap((f) => [
      h('dt', {}, fieldLabel(f.key)),
      h('dd', { 'data-testid': 'pop-field', dataset: { key: f.key } }, fieldText(f.key, f.value)),
    ]))
    : null;
  const action = pop.kind !== 'none' && pop.url
    ? h('a', {
      class: 'pop-link', 'data-testid': 'pop-link', href: pop.url, target: '_blank', rel: 'noopener noreferrer',
      dataset: { kind: pop.kind },
    }, POP_LINK_LABELS[pop.kind] || pop.url)
    : h('p', { class: 'pop-none', 'data-testid': 'pop-none' }, 'Nothing to open for this call');
  return h('article', {
    class: 'pop-card', 'data-testid': 'screen-pop',
    dataset: { callId: event.call_id, match: event.match || 'none', popKind: pop.kind },
    'aria-label': `Screen pop: ${callType} call, ${MATCH_LABELS[event.match] || 'not in the directory'}`,
  },
  h('div', { class: 'pop-head' },
    h('span', {}, callType),
    h('span', { 'data-testid': 'pop-match-count' }, MATCH_LABELS[event.match] || '')),
  matchList,
  fieldList,
  action,
  pop.url ? h('p', { class: 'pop-match-meta', 'data-testid': 'pop-url' }, pop.url) : null);
}

export class ScreenPopView {
  /**
   * @param {HTMLElement} root  the screen-pop section (data-testid screen-pops)
   * @param {{storage: {getItem: Function, setItem: Function}, open: (url: string) => void}} hooks
   *   where the auto-open choice is kept, and how a pop opens by itself (a new tab)
   */
  constructor(root, hooks) {
    this._list = part(root, 'screen-pop-list');
    this._empty = part(root, 'no-screen-pop');
    this._autoOpen = part(root, 'pop-auto-open');
    this._open = hooks.open;
    this._autoOpen.checked = hooks.storage.getItem(AUTO_OPEN_KEY) === 'true';
    this._autoOpen.addEventListener('change', () => hooks.storage.setItem(AUTO_OPEN_KEY, String(this._autoOpen.checked)));
  }

  /** Shows a `screen_pop` event on top (replacing an older pop of the same call). */
  show(event) {
    const card = createPopCard(event);
    const old = this._list.querySelector(`[data-call-id="${CSS.escape(event.call_id)}"]`);
    if (old) old.remove();
    this._list.prepend(card);
    while (this._list.children.length > POP_LIMIT) this._list.lastElementChild.remove();
    this._empty.hidden = true;
    // Browsers may block a window opened without a click; the link above is always there.
    // A pop handed on from a snapshot was opened already, when it first came.
    if (this._autoOpen.checked && !event.replayed && event.pop && event.pop.url) this._open(event.pop.url);
  }
}
