// The managed Chromium policy that pre-approves origins for local network access
// (LocalNetworkAccessAllowedForUrls), as `cti-adapter install-config --allowed-origins ...`
// writes it for IT. Until that command exists this helper writes exactly the file it will write;
// the test then switches to running the command.
//
// The file is system-wide (every Chromium on the machine reads it at start), so the helper
// refuses to touch one that is already there, and removes only the file it wrote.

import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export const POLICY_FILE = '/etc/chromium/policies/managed/cti-adapter.json';

/** describe() options: the policy tests need root (the policy folder is root's). */
export const POLICY_SKIP = process.getuid && process.getuid() === 0 ? {} : {
  skip: `writing ${POLICY_FILE} needs root: run as root to test the managed policy path`,
};

/**
 * Writes the policy allowing `origins`; resolves with what removeLocalNetworkPolicy needs.
 * `frames: true` adds LocalNetworkAccessPermissionsPolicyDefaultEnabled: measured with
 * Chromium 156, the origin list alone leaves a cross-origin iframe (Salesforce's softphone)
 * `denied` unless its parent delegates with allow="local-network-access"; with the key it is
 * `granted`.
 */
export async function writeLocalNetworkPolicy(origins, { frames = false } = {}) {
  if (existsSync(POLICY_FILE)) {
    throw new Error(`${POLICY_FILE} exists already: remove it (or let its owner) before this test runs`);
  }
  await mkdir(dirname(POLICY_FILE), { recursive: true });
  const policy = { LocalNetworkAccessAllowedForUrls: origins };
  if (frames) policy.LocalNetworkAccessPermissionsPolicyDefaultEnabled = true;
  await writeFile(POLICY_FILE, JSON.stringify(policy, null, 2));
  return { file: POLICY_FILE };
}

/** Removes the policy file written by writeLocalNetworkPolicy. */
export async function removeLocalNetworkPolicy({ file }) {
  await rm(file, { force: true });
}
