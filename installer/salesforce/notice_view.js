/**
 * notice_view.js — the panel's message when the phone cannot work, written for the person
 * who can fix it: the agent (start the adapter, allow local access) or the Salesforce / desktop
 * administrator (the exact origin to add to the adapter's allowed_origins).
 */

const NOTICES = {
  blocked: {
    title: 'Allow access to the phone adapter',
    text: () => 'Your browser blocks this page from reaching the phone adapter on this computer until you allow it. Click the button, then choose Allow when the browser asks.',
    steps: [
      'If the browser does not ask (Salesforce may not pass the question on to this panel), your IT can allow this site for everyone instead: the managed browser policy (LocalNetworkAccessAllowedForUrls) or the phone adapter browser extension, see the adapter\'s docs/ADMIN.md.',
      'This panel connects by itself as soon as access is allowed.',
    ],
    action: 'Allow access to the phone adapter',
    showOrigin: true,
  },
  not_running: {
    title: 'The phone adapter is not running',
    text: (ports) => `This panel works with the cti-adapter on this computer, but nothing answered on 127.0.0.1 (ports ${ports.join(', ')}).`,
    steps: [
      'Start the adapter: the "CTI Adapter" app or service, or cti-adapter run in a terminal.',
      'Check it with cti-adapter doctor: it says whether it runs, on which port, which program holds a busy port, and whether the phone system is connected.',
      'If Chrome asked whether this site may access apps and devices on this computer or local network, choose Allow (your administrator can allow it for everyone with the LocalNetworkAccessAllowedForUrls policy).',
      'This panel connects by itself as soon as the adapter answers.',
    ],
  },
  origin_refused: {
    title: 'The adapter does not allow this Salesforce page',
    text: (ports, port) => `The cti-adapter is running (port ${port}) but refuses this page, because its origin is not in the adapter's allowed_origins.`,
    steps: [
      'Your administrator adds the origin above to "allowed_origins" in the adapter\'s config.json (see docs/SALESFORCE.md).',
      'Restart the adapter; this panel then connects by itself.',
    ],
    showOrigin: true,
  },
  pairing: {
    title: 'Approve this panel in the phone adapter',
    text: (code) => `The cti-adapter asks you to approve this page once before it gets your calls. Code: ${code}`,
    steps: [], // made from the request: see showPairing()
    showOrigin: true,
  },
  pairing_failed: {
    title: 'This panel is not paired with the phone adapter',
    text: (reason) => `The pairing request was ${reason}. The panel asks again when you reload it.`,
    steps: ['Reload the panel, then approve the request on the adapter\'s pairing page (check that the codes match).'],
    showOrigin: true,
  },
  no_open_cti: {
    title: 'Salesforce Open CTI is not available',
    text: () => 'Calls work, but screen pops, click-to-dial and call logging need Salesforce: this page must be opened as the softphone of a Salesforce call center, not on its own.',
    steps: [
      'In Salesforce Setup → Call Centers, the call center\'s CTI Adapter URL (reqAdapterUrl) names this page, and the user is assigned to that call center.',
      'The console app\'s utility bar has the Open CTI Softphone item.',
    ],
  },
};

export class NoticeView {
  /** @param {HTMLElement} root  the `notice` section */
  constructor(root) {
    this._root = root;
    this._part = (id) => root.querySelector(`[data-testid="${id}"]`);
    this._part('copy-origin').addEventListener('click', () => this._copyOrigin());
    /** @type {(() => void)|null} What the notice's button does (the blocked step only). */
    this._onAction = null;
    this._part('notice-action').addEventListener('click', () => { if (this._onAction) this._onAction(); });
  }

  /**
   * The browser blocks the page (cti.js reason `blocked`): the step with the button
   * that lets the browser ask the user. `onAllow` runs from the click (a user gesture).
   */
  showBlocked(origin, onAllow) {
    this._show('blocked', NOTICES.blocked.text(), origin);
    this._onAction = onAllow;
  }

  /** Whether the blocked step is on screen. */
  get showsBlocked() {
    return !this._root.hidden && this._root.dataset.reason === 'blocked';
  }

  /** @param {{reason: string, port?: number}} diagnosis  from diagnoseAdapter() */
  showAdapterProblem(diagnosis, ports, origin) {
    this._show(diagnosis.reason, NOTICES[diagnosis.reason].text(ports, diagnosis.port), origin);
  }

  /**
   * The adapter wants this page paired (docs/SALESFORCE.md): the code, and where to approve it.
   * @param {{state: string, code?: string, approveAt?: string, reason?: string}} pairing
   */
  showPairing(pairing, origin) {
    if (pairing.state === 'waiting') {
      this._show('pairing', NOTICES.pairing.text(pairing.code), origin, [
        `Open ${pairing.approveAt} in a new browser tab (the adapter's own page).`,
        `Check that it lists this page's origin (above) with the code ${pairing.code}, and click Approve.`,
        'This panel then connects by itself and remembers the approval.',
      ]);
    } else if (pairing.state === 'failed') {
      this._show('pairing_failed', NOTICES.pairing_failed.text(pairing.reason || 'refused'), origin);
    }
  }

  /** Connected: nothing to say, unless Salesforce's library is missing. */
  showOpenCtiState(available) {
    if (available) this.hide();
    else this._show('no_open_cti', NOTICES.no_open_cti.text());
  }

  hide() {
    this._root.hidden = true;
    this._root.dataset.reason = '';
  }

  _show(reason, text, origin = '', steps = NOTICES[reason].steps) {
    const notice = NOTICES[reason];
    this._root.dataset.reason = reason;
    this._part('notice-title').textContent = notice.title;
    this._part('notice-text').textContent = text;
    this._part('notice-origin').textContent = origin;
    this._part('notice-origin-line').hidden = !notice.showOrigin;
    const action = this._part('notice-action');
    action.textContent = notice.action || '';
    action.hidden = !notice.action;
    this._onAction = null;
    this._part('notice-steps').replaceChildren(...steps.map((step) => {
      const li = document.createElement('li');
      li.textContent = step;
      return li;
    }));
    this._root.hidden = false;
  }

  async _copyOrigin() {
    try {
      await navigator.clipboard.writeText(this._part('notice-origin').textContent);
    } catch { /* clipboard refused in this frame: the origin is on screen to copy by hand */ }
  }
}
