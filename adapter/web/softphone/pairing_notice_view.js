/**
 * softphone/pairing_notice_view.js — a page served from another origin than the adapter's must
 * be paired first: the code the adapter's /pair page shows, and where to approve it; after a
 * refusal, why, and a button to ask again.
 */

import { part } from './dom.js';

export class PairingNoticeView {
  /**
   * @param {HTMLElement} root  the notice (data-testid pairing-notice)
   * @param {{onRetry: () => void}} hooks  Ask again was clicked
   */
  constructor(root, hooks) {
    this._root = root;
    this._waiting = part(root, 'pairing-waiting');
    this._failed = part(root, 'pairing-failed');
    this._code = part(root, 'pairing-code');
    this._link = part(root, 'pairing-link');
    this._reason = part(root, 'pairing-reason');
    part(root, 'pairing-retry').addEventListener('click', () => hooks.onRetry());
  }

  /** @param {import('../cti.js').PairingInfo} pairing */
  show(pairing) {
    this._root.hidden = pairing.state === 'paired';
    this._root.dataset.state = pairing.state;
    this._waiting.hidden = pairing.state !== 'waiting';
    this._failed.hidden = pairing.state !== 'failed';
    if (pairing.state === 'waiting') {
      this._code.textContent = pairing.code;
      this._link.href = pairing.approveAt;
      this._link.textContent = pairing.approveAt;
    }
    if (pairing.state === 'failed') this._reason.textContent = pairing.reason || 'failed';
  }
}
