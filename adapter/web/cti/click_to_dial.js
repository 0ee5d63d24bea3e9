/**
 * cti/click_to_dial.js — `tel:` links that dial through the adapter instead of navigating.
 *
 * The method here is CtiClient's own (cti/client.js copies it onto its prototype).
 */

/**
 * Extracts the number from a `tel:` URI: strips the scheme and any `;parameters`, then
 * percent-decodes. Returns '' when `href` is not a `tel:` URI or holds no number.
 *
 *   parseTelHref('tel:+1-415-555-0199;ext=12') === '+1-415-555-0199'
 *   parseTelHref('tel:%2B14155550199')         === '+14155550199'
 *
 * @param {string|null|undefined} href
 * @returns {string}
 */
export function parseTelHref(href) {
  if (typeof href !== 'string') return '';
  const match = /^\s*tel:([^;]*)/i.exec(href);
  if (!match) return '';
  let number = match[1];
  try {
    number = decodeURIComponent(number);
  } catch {
    // A malformed %-escape: keep the raw text; the adapter validates the number anyway.
  }
  return number.trim();
}

/** CtiClient's click-to-dial method; never instantiated (see the top of this file). */
export class ClickToDialMethods {
  /**
   * Makes `tel:` links under `root` dial through the adapter instead of navigating. Uses one
   * delegated click listener, so links added later work too.
   *
   * @param {Document|Element} [root]  default: the document
   * @param {Object} [options]
   * @param {(number: string, result: Promise<{call_id: string}>) => void} [options.onDial]
   *        called for every dial started by a click
   * @param {(error: CtiError, number: string) => void} [options.onError]
   *        called when such a dial fails; without it the client emits `error`
   * @returns {() => void} a function that turns click-to-dial off again
   */
  enableClickToDial(root = globalThis.document, options = {}) {
    if (!root || typeof root.addEventListener !== 'function') {
      throw new TypeError('enableClickToDial needs a Document or an Element');
    }
    const { onDial, onError } = options;
    const listener = (event) => {
      if (event.defaultPrevented || (event.button !== undefined && event.button !== 0)) return;
      let node = event.target;
      if (node && node.nodeType !== 1) node = node.parentElement; // a text node
      const link = node && typeof node.closest === 'function' ? node.closest('a[href^="tel:" i]') : null;
      if (!link || (typeof root.contains === 'function' && !root.contains(link))) return;
      const number = parseTelHref(link.getAttribute('href'));
      if (!number) return;
      event.preventDefault();
      const result = this.dial(number);
      if (typeof onDial === 'function') {
        try { onDial(number, result); } catch (err) { console.error('cti.js: onDial threw:', err); }
      }
      result.catch((err) => {
        if (typeof onError === 'function') onError(err, number);
        else this._emit('error', err);
      });
    };
    root.addEventListener('click', listener);
    return () => root.removeEventListener('click', listener);
  }
}
