/**
 * open_cti.js — Salesforce's Lightning Open CTI (`sforce.opencti`) as Promises.
 *
 * Every Open CTI method takes one object with a `callback` that receives
 * `{success, returnValue, errors}`. `OpenCti` turns that into a Promise that resolves with
 * `returnValue` or rejects with an `OpenCtiError` carrying Salesforce's error text, so the
 * softphone can `await` Salesforce the same way it awaits the adapter.
 */

/** A failed Open CTI call: `method` and Salesforce's `errors`. */
export class OpenCtiError extends Error {
  constructor(method, errors) {
    super(`${method}: ${describeErrors(errors)}`);
    this.name = 'OpenCtiError';
    this.method = method;
    this.errors = errors;
  }
}

/** Salesforce's errors (strings, or objects with a description or message) as one line. */
function describeErrors(errors) {
  const list = Array.isArray(errors) ? errors : [errors];
  const texts = list
    .filter((e) => e !== undefined && e !== null)
    .map((e) => (typeof e === 'string' ? e : e.description || e.message || JSON.stringify(e)));
  return texts.length ? texts.join('; ') : 'Salesforce reported a failure without a reason';
}

export class OpenCti {
  /** @param {object|undefined} api  `window.sforce.opencti`, when Salesforce's library loaded */
  constructor(api) {
    this._api = api;
  }

  /** The Open CTI library is loaded (the page runs inside a Salesforce call center). */
  get available() {
    return Boolean(this._api);
  }

  /** `sforce.opencti.CALL_TYPE`, with the documented names as a fallback. */
  get callTypes() {
    return (this._api && this._api.CALL_TYPE) || { INBOUND: 'inbound', OUTBOUND: 'outbound', INTERNAL: 'internal' };
  }

  /** `sforce.opencti.SCREENPOP_TYPE`, with the library's own values as a fallback. */
  get screenPopTypes() {
    return (this._api && this._api.SCREENPOP_TYPE) || {
      SOBJECT: 'sobject', URL: 'url', OBJECTHOME: 'objecthome', LIST: 'list', SEARCH: 'search',
      NEW_RECORD_MODAL: 'newRecord', FLOW: 'flow',
    };
  }

  /**
   * Calls `sforce.opencti[method]({...args, callback})`.
   * @returns {Promise<any>} the response's `returnValue`
   */
  call(method, args = {}) {
    if (!this._api || typeof this._api[method] !== 'function') {
      return Promise.reject(new OpenCtiError(method, ['the Salesforce Open CTI library is not loaded']));
    }
    return new Promise((resolve, reject) => {
      const callback = (response) => {
        if (response && response.success) resolve(response.returnValue);
        else reject(new OpenCtiError(method, response ? response.errors : ['no response']));
      };
      try {
        this._api[method]({ ...args, callback });
      } catch (err) {
        reject(new OpenCtiError(method, [err && err.message ? err.message : String(err)]));
      }
    });
  }

  /**
   * Calls a method that takes no callback (`onClickToDial`, `notifyInitializationComplete`).
   * @returns {boolean} whether Salesforce's library had the method
   */
  notify(method, ...args) {
    if (!this._api || typeof this._api[method] !== 'function') return false;
    this._api[method](...args);
    return true;
  }
}
