/**
 * wrap_up_view.js — the calls waiting to be logged in Salesforce: one small form per call log
 * (disposition, notes, Save), newest first, with the state of its save. Forms are keyed by log
 * id and updated in place, so what the agent is typing survives the events that follow.
 */
import { otherParty } from './task_fields.js';

/** The notes the adapter accepts are at most 8000 bytes of UTF-8: 2000 characters always fit. */
const MAX_NOTES_CHARS = 2000;

const TYPE_LABELS = { inbound: 'Inbound', outbound: 'Outbound', internal: 'Internal' };

export class WrapUpView {
  /**
   * @param {{list: HTMLElement, empty: HTMLElement, count: HTMLElement}} elements
   * @param {string[]} dispositions
   * @param {{onSave: (log: object, wrapUp: {disposition: string, notes: string}) => void,
   *          saveState: (logId: string) => ({status: string, message?: string}|undefined),
   *          taskCreated: (logId: string) => boolean,
   *          submittedWrapUp: (logId: string) => ({disposition, notes}|null),
   *          recordOf: (callId: string) => object|null}} hooks
   */
  constructor(elements, dispositions, hooks) {
    this._el = elements;
    this._dispositions = dispositions;
    this._hooks = hooks;
    /** @type {Map<string, HTMLElement>} */
    this._forms = new Map();
    /** @type {Map<string, object>} the log each form shows */
    this._logs = new Map();
  }

  /** Shows exactly `logs` (the client's pending call logs, oldest first). */
  render(logs) {
    const ids = new Set(logs.map((l) => l.log_id));
    for (const [id, form] of this._forms) {
      if (!ids.has(id)) {
        form.remove();
        this._forms.delete(id);
        this._logs.delete(id);
      }
    }
    [...logs].reverse().forEach((log, index) => {
      this._logs.set(log.log_id, log);
      const form = this._formFor(log);
      this._update(form, log);
      // Newest first; a form already in place is not moved, so a focused field keeps its focus.
      const there = this._el.list.children[index];
      if (there !== form) this._el.list.insertBefore(form, there || null);
    });
    this._el.count.textContent = String(logs.length);
    this._el.empty.hidden = logs.length > 0;
  }

  _formFor(log) {
    let form = this._forms.get(log.log_id);
    if (form) return form;
    form = document.createElement('form');
    form.className = 'wrap-up';
    form.dataset.testid = 'wrap-up';
    form.dataset.logId = log.log_id;
    form.innerHTML = `
      <div class="wrap-up-title" data-testid="wrap-up-title"></div>
      <div class="wrap-up-meta" data-testid="wrap-up-meta"></div>
      <label>Result <select data-testid="disposition"></select></label>
      <label>Notes <textarea data-testid="notes" rows="2"></textarea></label>
      <p class="wrap-up-status" data-testid="save-status" role="status" hidden></p>
      <button type="submit" class="primary" data-testid="save-log">Save to Salesforce</button>`;
    const select = form.querySelector('select');
    select.append(...this._dispositions.map((d) => new Option(d, d)));
    form.querySelector('textarea').maxLength = MAX_NOTES_CHARS;
    this._restoreSubmitted(form, log.log_id);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this._hooks.onSave(this._logs.get(log.log_id), {
        disposition: select.value,
        notes: form.querySelector('textarea').value,
      });
    });
    this._forms.set(log.log_id, form);
    return form;
  }

  /** After a reload, the form shows what the agent had submitted. */
  _restoreSubmitted(form, logId) {
    const submitted = this._hooks.submittedWrapUp(logId);
    if (!submitted) return;
    const select = form.querySelector('select');
    if (submitted.disposition && ![...select.options].some((o) => o.value === submitted.disposition)) {
      select.append(new Option(submitted.disposition, submitted.disposition));
    }
    select.value = submitted.disposition || select.value;
    form.querySelector('textarea').value = submitted.notes || '';
  }

  _update(form, log) {
    const { number, name } = otherParty(log);
    const record = this._hooks.recordOf(log.call_id);
    form.querySelector('[data-testid="wrap-up-title"]').textContent = name || number || 'Unknown number';
    form.querySelector('[data-testid="wrap-up-meta"]').textContent = [
      TYPE_LABELS[log.call_type] || log.call_type,
      name && number ? number : '',
      formatDuration(log.duration_s),
      log.end_reason && log.end_reason !== 'normal' ? log.end_reason : '',
      record ? `→ ${record.name || record.id}` : '',
    ].filter(Boolean).join(' · ');
    this._updateSaveState(form, log.log_id);
  }

  _updateSaveState(form, logId) {
    const state = this._hooks.saveState(logId);
    const created = this._hooks.taskCreated(logId);
    const status = form.querySelector('[data-testid="save-status"]');
    const button = form.querySelector('[data-testid="save-log"]');
    form.dataset.status = state ? state.status : 'pending';
    status.textContent = state?.status === 'saving' ? 'Saving…' : state?.message || '';
    status.hidden = !status.textContent;
    button.disabled = state?.status === 'saving';
    button.textContent = state?.status === 'failed' ? 'Retry' : 'Save to Salesforce';
    for (const field of form.querySelectorAll('select, textarea')) field.disabled = created || state?.status === 'saving';
  }
}

function formatDuration(seconds) {
  const s = Math.max(0, Math.round(Number(seconds) || 0));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
