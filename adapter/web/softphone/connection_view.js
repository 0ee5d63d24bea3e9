/**
 * softphone/connection_view.js — the page's header: whether the adapter is connected (and on
 * which port, or when the next attempt is), and the phone system the adapter drives.
 */

import { part } from './dom.js';
import { CONNECTION_LABELS } from './format.js';

export class ConnectionView {
  /** @param {HTMLElement} root  the header (data-testid status-header) */
  constructor(root) {
    this._conn = part(root, 'connection-status');
    this._connText = part(root, 'connection-text');
    this._connPort = part(root, 'connection-port');
    this._driverName = part(root, 'driver-name');
    this._driverStatus = part(root, 'driver-status');
    this._driverDetail = part(root, 'driver-detail');
  }

  /** @param {import('../cti.js').ConnectionInfo} info */
  showConnection(info) {
    this._conn.dataset.state = info.state;
    this._connText.textContent = CONNECTION_LABELS[info.state] || info.state;
    if (info.state === 'connected') {
      this._conn.dataset.port = String(info.port);
      this._connPort.textContent = `port ${info.port}`;
    } else if (info.state === 'disconnected' && info.retryInMs !== undefined) {
      this._connPort.textContent = `retrying in ${Math.max(1, Math.round(info.retryInMs / 1000))} s`;
    } else {
      this._connPort.textContent = '';
    }
  }

  /** @param {import('../cti.js').DriverInfo} driver */
  showDriver(driver) {
    this._driverName.textContent = driver.name || '–';
    this._driverStatus.textContent = driver.status || 'unknown';
    this._driverStatus.dataset.status = driver.status || 'unknown';
    this._driverDetail.textContent = driver.detail || '';
    this._driverDetail.hidden = !driver.detail;
  }
}
