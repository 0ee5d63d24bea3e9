/**
 * softphone/error_view.js — the error area: what was tried, the error code and the message,
 * until dismissed, replaced by the next command, or ERROR_VISIBLE_MS later. Also runs the
 * page's commands, so that every button shows its failure the same way.
 */

import { part } from './dom.js';

/** How long an error stays visible unless dismissed. */
export const ERROR_VISIBLE_MS = 10000;

export class ErrorView {
  /** @param {HTMLElement} root  the error area (data-testid error-message) */
  constructor(root) {
    this._root = root;
    this._action = part(root, 'error-action');
    this._code = part(root, 'error-code');
    this._text = part(root, 'error-text');
    this._timer = null;
    part(root, 'error-dismiss').addEventListener('click', () => this.clear());
  }

  /** Shows a failure: `action` is what was tried ('' for one not tied to a command). */
  show(action, err) {
    const code = (err && err.code) || 'error';
    const message = (err && err.message) || String(err);
    this._action.textContent = action ? `${action} failed` : 'Error';
    this._code.textContent = code;
    this._text.textContent = message;
    this._root.dataset.code = code;
    this._root.hidden = false;
    clearTimeout(this._timer);
    this._timer = setTimeout(() => this.clear(), ERROR_VISIBLE_MS);
  }

  clear() {
    clearTimeout(this._timer);
    this._timer = null;
    this._root.hidden = true;
    delete this._root.dataset.code;
    this._action.textContent = '';
    this._code.textContent = '';
    this._text.textContent = '';
  }

  /**
   * Runs one command for a button: disables the button while it is under way and shows a
   * failure here. A new command clears the previous error.
   * @template T
   * @param {string} action  shown in the error, e.g. 'Hold'
   * @param {HTMLButtonElement|null} button
   * @param {() => Promise<T>} command
   * @returns {Promise<T|undefined>}  undefined when it failed
   */
  async run(action, button, command) {
    this.clear();
    if (button) {
      button.disabled = true;
      button.setAttribute('aria-busy', 'true');
    }
    try {
      return await command();
    } catch (err) {
      this.show(action, err);
      return undefined;
    } finally {
      if (button) {
        button.disabled = false;
        button.removeAttribute('aria-busy');
      }
    }
  }
}
