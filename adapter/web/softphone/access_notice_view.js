/**
 * softphone/access_notice_view.js — why no adapter answered (cti.js `reason` and `remedy`),
 * kept while the client retries and cleared once connected; the Allow button only when the
 * browser is what blocks the page.
 */

import { part } from './dom.js';

export class AccessNoticeView {
  /**
   * @param {HTMLElement} root  the notice (data-testid access-notice)
   * @param {{onAllow: () => void}} hooks  the Allow button was clicked (a user gesture)
   */
  constructor(root, hooks) {
    this._root = root;
    this._remedy = part(root, 'access-remedy');
    this._blocked = part(root, 'access-blocked');
    this._it = part(root, 'access-it');
    part(root, 'access-allow').addEventListener('click', () => hooks.onAllow());
  }

  /** @param {import('../cti.js').ConnectionInfo} info */
  showConnection(info) {
    if (info.state === 'connecting') return; // a retry: what the last pass found still holds
    const reason = info.state === 'disconnected' && info.reason ? info.reason : '';
    this._root.hidden = !reason;
    this._root.dataset.reason = reason;
    this._remedy.textContent = info.remedy || '';
    this._blocked.hidden = reason !== 'blocked';
    this._it.hidden = reason !== 'blocked';
  }
}
