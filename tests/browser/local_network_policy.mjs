// The managed browser policies that pre-approve origins for local network access, written by
// the real `cti-adapter install-config --allowed-origins ...` as the .deb runs it for IT, and
// taken away by `install-config --remove`.
//
// The policies are system-wide (every browser on the machine reads /etc/chromium/policies/...
// at start), so these tests run only as root, refuse to start when a Chromium policy of the
// adapter is already there (an installed package's), and take away exactly what they wrote.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { ADAPTER_BIN } from './adapter_process.mjs';

const run = promisify(execFile);

export const POLICY_FILE = '/etc/chromium/policies/managed/cti-adapter.json';

/** describe() options: the policy tests need root (the policy folders are root's). */
export const POLICY_SKIP = process.getuid && process.getuid() === 0 ? {} : {
  skip: `writing ${POLICY_FILE} needs root: run as root to test the managed policy path`,
};

/**
 * Runs install-config for `origins` with a machine config in `folder`; resolves with what
 * removeLocalNetworkPolicy needs. `frames: false` passes --no-frame-policy: measured with
 * Chromium 156, the origin list alone leaves a cross-origin iframe (Salesforce's softphone)
 * `denied` unless its parent delegates with allow="local-network-access";
 * LocalNetworkAccessPermissionsPolicyDefaultEnabled (written by default) makes it `granted`.
 */
export async function writeLocalNetworkPolicy(origins, folder, { frames = true } = {}) {
  if (existsSync(POLICY_FILE)) {
    throw new Error(`${POLICY_FILE} exists already (an installed package?): remove it before this test runs`);
  }
  const configFile = join(folder, 'machine-config', 'config.json');
  const args = ['install-config', '--file', configFile, '--allowed-origins', origins.join(',')];
  if (!frames) args.push('--no-frame-policy');
  const { stdout } = await run(ADAPTER_BIN, args);
  if (!stdout.includes(`browser policy written: Chromium: ${POLICY_FILE}`)) {
    throw new Error(`install-config did not write ${POLICY_FILE}:\n${stdout}`);
  }
  return { configFile };
}

/** Takes away what writeLocalNetworkPolicy's install-config wrote. */
export async function removeLocalNetworkPolicy({ configFile }) {
  await run(ADAPTER_BIN, ['install-config', '--remove', '--file', configFile]);
  if (existsSync(POLICY_FILE)) throw new Error(`install-config --remove left ${POLICY_FILE} behind`);
}
