// The Salesforce softphone as Salesforce hosts it: inside a cross-origin iframe of a public
// outer page, both on public https origins (public_origin.mjs), against the real adapter.
//  - the local network access permission not granted: the panel shows the "Allow access to the
//    phone adapter" step (with what IT can do instead), not "the adapter is not running";
//  - the user allows it: the panel connects by itself, the step goes away;
//  - granted from the start: connected, the step never shows;
//  - the managed browser policy (LocalNetworkAccessAllowedForUrls) names the origins: connected
//    with no grant and no step at all (needs root, for /etc/chromium/policies/managed/).
//
// Run:  cd tests/browser && CTI_ADAPTER_BIN=/path/to/cti-adapter node --test salesforce_public_origin.test.mjs

import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { AdapterSandbox, NEEDS_ADAPTER } from './adapter_process.mjs';
import { removeLocalNetworkPolicy, writeLocalNetworkPolicy, POLICY_SKIP } from './local_network_policy.mjs';
import { startPublicOrigins } from './public_origin.mjs';
import { softphoneFiles } from './softphone_files.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const SALESFORCE_DIR = join(HERE, '..', '..', 'installer', 'salesforce');

const tid = (id) => `[data-testid="${id}"]`;

/** The CRM's outer page: the softphone in a cross-origin iframe, as Salesforce's utility bar. */
const outerPage = (softphoneUrl) => `<!doctype html><meta charset="utf-8"><title>CRM</title>
<h1>Service console</h1>
<iframe id="softphone" title="Softphone" src="${softphoneUrl}" width="320" height="640"></iframe>`;

/** Records in every frame whether the notice ever showed the blocked step (run at load). */
function recordBlockedStep() {
  window.sawBlockedStep = false;
  new MutationObserver(() => {
    const notice = document.querySelector('[data-testid="notice"]');
    if (notice && notice.dataset.reason === 'blocked' && !notice.hidden) window.sawBlockedStep = true;
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-reason', 'hidden'] });
}

/**
 * The outer page and the softphone on two public origins, the adapter allowing both; the
 * package and the adapter's files in a folder of their own (`sandbox.dir`), removed by
 * stopSetup. `beforeLaunch(origins)` runs before Chromium starts.
 */
async function startSetup(prefix, beforeLaunch) {
  const setup = { sandbox: await AdapterSandbox.create(prefix), origins: null, adapter: null };
  try {
    const packageDir = join(setup.sandbox.dir, 'package');
    await promisify(execFile)('bash', [join(SALESFORCE_DIR, 'package.sh'), packageDir]);
    const state = { standIn: {} };
    const standIn = await readFile(join(HERE, 'open_cti_stand_in.js'), 'utf8');
    let softphoneUrl = '';
    setup.origins = await startPublicOrigins({
      handlers: {
        crm: (req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end(outerPage(softphoneUrl)); },
        softphone: softphoneFiles(join(packageDir, 'CtiSoftphone'), standIn, state),
      },
      beforeLaunch,
    });
    softphoneUrl = `${setup.origins.origin('softphone')}/softphone.html`;
    const shipped = JSON.parse(await readFile(join(SALESFORCE_DIR, 'adapter-config.json'), 'utf8'));
    await setup.sandbox.writeConfig({
      ...shipped,
      allowed_origins: setup.origins.origins,
      pairing: { required: false }, // pairing has its own tests; here only the browser's rules count
    });
    setup.adapter = await setup.sandbox.start();
    state.standIn = {
      settings: {
        '/reqGeneralInfo/reqInternalName': 'CtiAdapterSoftphone',
        '/ctiAdapter/ports': String(setup.adapter.port),
      },
    };
    return setup;
  } catch (error) {
    await stopSetup(setup);
    throw error;
  }
}

/** Ends what startSetup started: the browser and the page servers, the adapter, the folder. */
async function stopSetup(setup) {
  await setup?.origins?.close();
  await setup?.sandbox.remove();
}

/** Opens the outer page in a new context; returns the context, page and softphone frame. */
async function openConsole(origins, { granted }) {
  const context = await origins.newContext({ granted });
  await context.addInitScript(recordBlockedStep);
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  await page.goto(`${origins.origin('crm')}/`);
  const frame = page.frameLocator('#softphone');
  const softphoneFrame = () => page.frames().find((f) => f.url().startsWith(origins.origin('softphone')));
  return { context, page, frame, softphoneFrame };
}

describe('the Salesforce softphone in a cross-origin iframe of a public page', NEEDS_ADAPTER, () => {
  let setup;

  before(async () => {
    setup = await startSetup('cti-salesforce-public-');
  });

  after(() => stopSetup(setup));

  test('not granted: the panel shows the "Allow access" step with what IT can do, not "not running"', async () => {
    const { context, frame } = await openConsole(setup.origins, { granted: false });
    const notice = frame.locator(`${tid('notice')}[data-reason="blocked"]`);
    await notice.waitFor();
    assert.equal(await frame.locator(tid('notice-title')).textContent(), 'Allow access to the phone adapter');
    assert.equal(await frame.locator(tid('notice-action')).textContent(), 'Allow access to the phone adapter');
    assert.equal(await frame.locator(tid('notice-action')).isVisible(), true);
    const steps = await frame.locator(tid('notice-steps')).textContent();
    assert.match(steps, /LocalNetworkAccessAllowedForUrls/);
    assert.match(steps, /extension/);
    assert.match(steps, /ADMIN\.md/);
    // cti.js keeps trying while blocked, so the state passes through `connecting` between
    // passes: wait for the disconnected state instead of reading it once.
    await frame.locator(`${tid('connection-status')}[data-state="disconnected"]`).waitFor();
    await context.close();
  });

  test('the step\'s button, then the user allows: connected, the step goes away', async () => {
    const { context, frame } = await openConsole(setup.origins, { granted: false });
    await frame.locator(`${tid('notice')}[data-reason="blocked"]`).waitFor();
    // Headless Chromium dismisses the prompt the click raises: still the step.
    await frame.locator(tid('notice-action')).click();
    await frame.locator(`${tid('notice')}[data-reason="blocked"]`).waitFor();
    await context.grantPermissions(['local-network-access']);
    await frame.locator(`${tid('connection-status')}[data-state="connected"]`).waitFor();
    await frame.locator(tid('notice')).waitFor({ state: 'hidden' });
    await context.close();
  });

  test('granted from the start: connected, the step never shows', async () => {
    const { context, frame, softphoneFrame } = await openConsole(setup.origins, { granted: true });
    await frame.locator(`${tid('connection-status')}[data-state="connected"]`).waitFor();
    assert.equal(await frame.locator(tid('notice')).isVisible(), false);
    assert.equal(await softphoneFrame().evaluate(() => window.sawBlockedStep), false);
    await context.close();
  });
});

describe('the managed browser policy that install-config writes', { ...NEEDS_ADAPTER, ...POLICY_SKIP }, () => {
  let policyFolder; // install-config's machine config and its record of what it wrote
  let setup;
  let policy = null;

  /** The setup with the policy file written before Chromium starts (it reads policies then). */
  async function startWithPolicy(options) {
    policyFolder = await mkdtemp(join(tmpdir(), 'cti-salesforce-policy-'));
    setup = await startSetup('cti-salesforce-policy-', async (origins) => {
      policy = await writeLocalNetworkPolicy(origins, policyFolder, options);
    });
  }

  async function stop() {
    await stopSetup(setup);
    if (policy) await removeLocalNetworkPolicy(policy);
    if (policyFolder) await rm(policyFolder, { recursive: true, force: true });
    setup = null;
    policy = null;
    policyFolder = null;
  }

  afterEach(stop);

  test('the origins alone do not reach into the cross-origin iframe: the panel shows the step', async () => {
    await startWithPolicy({ frames: false });
    const { context, page, frame } = await openConsole(setup.origins, { granted: false });
    // The outer page is allowed by the policy; the framed panel is not (no delegation).
    assert.equal(await page.evaluate(async () =>
      (await navigator.permissions.query({ name: 'local-network-access' })).state), 'granted');
    await frame.locator(`${tid('notice')}[data-reason="blocked"]`).waitFor();
    await context.close();
  });

  test('with LocalNetworkAccessPermissionsPolicyDefaultEnabled, nothing granted: connected with no step at all', async () => {
    await startWithPolicy({ frames: true });
    const { context, frame, softphoneFrame } = await openConsole(setup.origins, { granted: false });
    await frame.locator(`${tid('connection-status')}[data-state="connected"]`).waitFor();
    assert.equal(await frame.locator(tid('notice')).isVisible(), false);
    assert.equal(await softphoneFrame().evaluate(() => window.sawBlockedStep), false);
    await context.close();
  });
});
