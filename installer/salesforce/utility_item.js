/**
 * utility_item.js — what the softphone's item in Salesforce's utility bar says while the panel
 * is minimised: "Ringing" with the caller, "On a call", "On hold", "Phone offline", else
 * "Phone" (setSoftphoneItemLabel, and setSoftphoneItemIcon with Lightning Design System
 * utility icons: call, pause when held, end_call when offline).
 * Salesforce is told only when the label or icon changes.
 */

/** The label and icon for the adapter's connection state and active calls. */
export function utilityItemFor(connected, calls) {
  if (!connected) return { label: 'Phone offline', icon: 'end_call' };
  const ringing = calls.find((c) => c.state === 'ringing');
  if (ringing) {
    const who = ringing.from?.name || ringing.from?.number || '';
    return { label: who ? `Ringing: ${who}` : 'Ringing', icon: 'call' };
  }
  if (calls.some((c) => c.state === 'connected')) return { label: 'On a call', icon: 'call' };
  if (calls.some((c) => c.state === 'dialing')) return { label: 'Dialing', icon: 'call' };
  if (calls.some((c) => c.state === 'held')) return { label: 'On hold', icon: 'pause' };
  return { label: 'Phone', icon: 'call' };
}

export class UtilityItem {
  /** @param {import('./open_cti.js').OpenCti} openCti */
  constructor(openCti) {
    this._openCti = openCti;
    this._label = null;
    this._icon = null;
  }

  show(connected, calls) {
    if (!this._openCti.available) return;
    const { label, icon } = utilityItemFor(connected, calls);
    // Failures are not the agent's business: the panel itself still shows the call.
    if (label !== this._label) {
      this._label = label;
      this._openCti.call('setSoftphoneItemLabel', { label }).catch(() => { this._label = null; });
    }
    if (icon !== this._icon) {
      this._icon = icon;
      this._openCti.call('setSoftphoneItemIcon', { key: icon }).catch(() => { this._icon = null; });
    }
  }
}
