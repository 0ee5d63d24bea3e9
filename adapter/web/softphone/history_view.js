/**
 * softphone/history_view.js — every call log, newest first, a page at a time: the first page
 * afresh on each new adapter run or resync, "More" for the next, and the call-log events in
 * between (a new log on top, a saved one updated in place). Items are kept in place, so the
 * keyboard focus stays where it was.
 */

import { h, part } from './dom.js';
import { logFacts } from './log_facts.js';

/** How many call logs one page of the history holds. */
export const HISTORY_PAGE_SIZE = 10;

function createItem(log) {
  const facts = logFacts(log, 'history');
  const saved = !!log.acknowledged;
  const disposition = log.disposition
    ? h('span', { class: 'disposition', 'data-testid': 'history-disposition' }, log.disposition)
    : h('span', { class: 'disposition none', 'data-testid': 'history-disposition' }, saved ? 'No disposition' : 'Not wrapped up');
  return h('li', {
    class: 'history-item', 'data-testid': 'history-item', tabindex: '-1',
    dataset: { logId: log.log_id, cursor: String(log.cursor), acknowledged: String(saved) },
  },
  facts.head,
  facts.meta,
  facts.detail,
  h('p', { class: 'history-wrapup' }, disposition),
  log.notes ? h('p', { class: 'history-notes', 'data-testid': 'history-notes' }, log.notes) : null);
}

export class HistoryView {
  /**
   * @param {HTMLElement} root  the history panel (data-testid history-panel)
   * @param {{loadPage: (options: {limit: number, before?: number}) => Promise<{logs: object[], next: number|null}>,
   *          onError: (err: Error) => void, onMore: () => void}} hooks
   *   `loadPage` is cti.js history(); `onError` shows a failed load; `onMore` is told of a
   *   click on More before the page loads
   */
  constructor(root, hooks) {
    this._list = part(root, 'history');
    this._empty = part(root, 'no-history');
    this._more = part(root, 'history-more');
    this._hooks = hooks;
    /** @type {Map<string, object>} the logs shown, by log id */
    this._logs = new Map();
    /** @type {Map<string, HTMLElement>} their list items */
    this._items = new Map();
    /** cursor of the next page (`before`), or null when the last page is shown */
    this._next = null;
    this.loaded = false;
    this.loading = false;
    /** Bumped by every reload, so an answer to an older request is dropped. */
    this._generation = 0;
    this._more.addEventListener('click', () => {
      hooks.onMore();
      this.load(false);
    });
    this._render();
  }

  /**
   * Loads the first page again (`reset`), or the next page. A failure goes to `onError`; a
   * reload because the connection came back says nothing when the connection is gone again.
   */
  async load(reset) {
    if (!reset && (this.loading || this._next === null)) return;
    const generation = reset ? ++this._generation : this._generation;
    const before = reset ? undefined : this._next;
    const moreHadFocus = !reset && this._list.ownerDocument.activeElement === this._more;
    this._setLoading(true);
    try {
      const page = await this._hooks.loadPage({ limit: HISTORY_PAGE_SIZE, before });
      if (generation !== this._generation) return;
      if (reset) this._logs.clear();
      const firstNew = page.logs.find((log) => !this._logs.has(log.log_id));
      for (const log of page.logs) {
        if (log && typeof log.log_id === 'string') this._logs.set(log.log_id, log);
      }
      this._next = page.next ?? null;
      this.loaded = true;
      this._list.dataset.loaded = 'true';
      this._render();
      // "More" went away with the last page: keep the keyboard user in the list.
      if (moreHadFocus && this._more.hidden && firstNew) {
        const item = this._items.get(firstNew.log_id);
        if (item) item.focus();
      }
    } catch (err) {
      if (generation === this._generation && !(reset && err.code === 'not_connected')) this._hooks.onError(err);
    } finally {
      if (generation === this._generation) this._setLoading(false);
    }
  }

  /** A `call_log` event: a new log goes on top (once the list loaded; one the adapter could not journal never will). */
  addLog(log) {
    if (!this.loaded || !log || log.journaled === false) return;
    this._logs.set(log.log_id, log);
    this._render();
  }

  /** A `call_log.saved` event: a listed log is updated in place (one not loaded yet comes with its page). */
  updateLog(log) {
    if (!log || !this._logs.has(log.log_id)) return;
    this._logs.set(log.log_id, log);
    this._render();
  }

  _render() {
    const ordered = [...this._logs.values()].sort((a, b) => (b.cursor || 0) - (a.cursor || 0));
    const wanted = new Set(ordered.map((log) => log.log_id));
    for (const [id, item] of this._items) {
      if (!wanted.has(id)) {
        item.remove();
        this._items.delete(id);
      }
    }
    ordered.forEach((log, position) => {
      let item = this._items.get(log.log_id);
      const fresh = createItem(log);
      if (!item) {
        item = fresh;
      } else if (item.innerHTML !== fresh.innerHTML || item.dataset.acknowledged !== fresh.dataset.acknowledged) {
        const hadFocus = this._list.ownerDocument.activeElement === item;
        item.replaceWith(fresh);
        item = fresh;
        if (hadFocus) item.focus();
      }
      this._items.set(log.log_id, item);
      const here = this._list.children[position];
      if (here !== item) this._list.insertBefore(item, here || null);
    });
    this._empty.hidden = !this.loaded || ordered.length > 0;
    this._more.hidden = !this.loaded || this._next === null || this._next === undefined;
  }

  _setLoading(loading) {
    this.loading = loading;
    this._list.dataset.state = loading ? 'loading' : 'idle';
    this._list.setAttribute('aria-busy', String(loading));
    // aria-disabled, not disabled: a disabled button would lose the keyboard focus.
    this._more.setAttribute('aria-disabled', String(loading));
  }
}
