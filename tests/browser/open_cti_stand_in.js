// A stand-in for Salesforce's Lightning Open CTI library (`opencti_min.js`), for the Salesforce
// softphone tests: Salesforce itself cannot run here.
//
// The test's static server serves this file at /support/api/<version>/lightning/opencti_min.js,
// the path the softphone page loads, after a first line that sets
// `window.openCtiStandInConfig = {settings, searchResults, saveLogFails, ...}`.
//
// It records every call it receives in `window.openCtiStandIn.calls` (method and arguments,
// without the callback) and answers the way Open CTI for Lightning documents it:
// asynchronously, with `{success, returnValue, errors}`:
//  - searchAndScreenPop: the matching records keyed by their Id (config.searchResults[number]);
//  - getSoftphoneLayout: per call type ("Inbound", "Outbound", "Internal") the objects and
//    screenPopSettings {screenPopsOpenWithin, NoMatch, SingleMatch, MultipleMatches}, each
//    {screenPopType, screenPopData?} (config.layout, else Salesforce's default layout);
//  - getAppViewInfo: the record on screen {url, recordId, recordName, objectType}.
// `window.openCtiStandIn.clickToDial(payload)` plays a click on a phone number in Salesforce,
// `navigate(view)` the agent opening another record (onNavigationChange's listener).
(function installOpenCtiStandIn() {
  const config = window.openCtiStandInConfig || {};
  const calls = [];
  let clickToDialListener = null;
  let navigationListener = null;
  let view = config.view || { url: 'https://mydomain.lightning.force.com/lightning/page/home' };
  // Salesforce's default softphone layout: a new Contact for no match, the record for one,
  // the search page for several.
  const defaultPops = {
    screenPopsOpenWithin: 'ExistingWindow',
    NoMatch: { screenPopType: 'PopToEntity', screenPopData: 'Contact' },
    SingleMatch: { screenPopType: 'PopToEntity' },
    MultipleMatches: { screenPopType: 'PopToSearch' },
  };
  const layoutFor = () => ({ callRelatedFields: ['ANI', 'DNIS'], objects: { Contact: [], Account: [], Lead: [] }, screenPopSettings: defaultPops });
  const layout = config.layout || { Inbound: layoutFor(), Outbound: layoutFor(), Internal: layoutFor() };
  let taskCount = 0;
  let saveLogFailuresLeft = config.saveLogFails || 0;

  function record(method, args) {
    const copy = {};
    for (const [key, value] of Object.entries(args || {})) {
      if (typeof value !== 'function') copy[key] = JSON.parse(JSON.stringify(value ?? null));
    }
    calls.push({ method, args: copy });
  }

  function answer(args, response) {
    if (args && typeof args.callback === 'function') setTimeout(() => args.callback(response), 0);
  }

  const ok = (returnValue = null) => ({ success: true, returnValue, errors: null });

  function method(name, respond) {
    return (args) => {
      record(name, args);
      answer(args, respond(args));
    };
  }

  window.sforce = window.sforce || {};
  window.sforce.opencti = {
    CALL_TYPE: { INBOUND: 'inbound', OUTBOUND: 'outbound', INTERNAL: 'internal' },
    SCREENPOP_TYPE: {
      SOBJECT: 'sobject', URL: 'url', OBJECTHOME: 'objecthome', LIST: 'list', SEARCH: 'search',
      NEW_RECORD_MODAL: 'newRecord', FLOW: 'flow',
    },
    getSoftphoneLayout: method('getSoftphoneLayout', () => ok(layout)),
    getAppViewInfo: method('getAppViewInfo', () => ok(view)),
    screenPop: method('screenPop', () => ok()),
    refreshView: method('refreshView', () => ok()),
    setSoftphoneItemIcon: method('setSoftphoneItemIcon', () => ok()),
    setSoftphoneItemLabel: method('setSoftphoneItemLabel', () => ok()),
    setSoftphonePanelLabel: method('setSoftphonePanelLabel', () => ok()),
    isSoftphonePanelVisible: method('isSoftphonePanelVisible', () => ok({ visible: true })),
    getCallCenterSettings: method('getCallCenterSettings', () => ok(config.settings || {})),
    enableClickToDial: method('enableClickToDial', () => ok()),
    disableClickToDial: method('disableClickToDial', () => ok()),
    setSoftphonePanelVisibility: method('setSoftphonePanelVisibility', () => ok()),
    searchAndScreenPop: method('searchAndScreenPop', (args) => ok((config.searchResults || {})[args.searchParams] || {})),
    saveLog: method('saveLog', () => {
      if (saveLogFailuresLeft > 0) {
        saveLogFailuresLeft -= 1;
        return { success: false, returnValue: null, errors: ['REQUIRED_FIELD_MISSING: stand-in failure'] };
      }
      taskCount += 1;
      return ok({ recordId: `00T00000000000${String(taskCount).padStart(2, '0')}AAA` });
    }),
    onClickToDial(args) {
      record('onClickToDial', args);
      clickToDialListener = args && args.listener;
    },
    onNavigationChange(args) {
      record('onNavigationChange', args);
      navigationListener = args && args.listener;
    },
    notifyInitializationComplete() {
      record('notifyInitializationComplete', {});
    },
  };

  window.openCtiStandIn = {
    calls,
    /** Plays the agent clicking a phone number in Salesforce. */
    clickToDial(payload) {
      if (!clickToDialListener) throw new Error('the softphone registered no onClickToDial listener');
      clickToDialListener(payload);
    },
    /** Plays the agent opening another page or record: getAppViewInfo answers it from now on. */
    navigate(next) {
      view = next;
      if (navigationListener) navigationListener(next);
    },
    /** The next `n` saveLog calls fail. */
    failSaveLog(n) {
      saveLogFailuresLeft = n;
    },
  };
}());
