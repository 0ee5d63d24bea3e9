// A test harness for pages on public https origins, as CRM pages are in the field.
//
// Chromium applies its Local Network Access checks only when a page of a more public address
// space reaches a more private one. Pages served from 127.0.0.1 are loopback themselves, so the
// other browser tests never meet the checks. Here every page port is declared public with
// `--ip-address-space-overrides=127.0.0.1:A=public,127.0.0.1:B=public`, the pages come over
// https with a throw-away self-signed certificate made by the test (openssl CLI), and the
// browser waives certificate errors (the certificate is not what these tests are about).
// `context.grantPermissions(['local-network-access'])` plays the user who clicked Allow.

import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Makes a self-signed certificate in `dir` (the browser waives its errors); resolves with {key, cert}. */
async function makeCertificate(dir) {
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1',
  ]);
  return { key: await readFile(keyPath), cert: await readFile(certPath) };
}

/**
 * Starts an https server on a free loopback port; `handler(req, res)` answers its requests.
 * @returns {Promise<{server: import('node:https').Server, port: number, origin: string}>}
 */
async function serveHttps(tls, name, handler) {
  const server = createServer(tls, handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  return { server, port, host: hostName(name), origin: `https://${hostName(name)}:${port}` };
}

/**
 * The page's host name: `NAME.crm.test`, which the browser resolves to 127.0.0.1
 * (--host-resolver-rules). A name rather than 127.0.0.1 itself, because cti.js rightly treats a
 * page whose host is a loopback address as one the browser never blocks.
 */
function hostName(name) {
  return `${name}.crm.test`;
}

/**
 * Starts the public origins and a Chromium that treats them as public.
 * @param {{handlers: Record<string, (req: any, res: any) => void>, launchOptions?: object,
 *          beforeLaunch?: (origins: string[]) => Promise<void>}} options
 *   one https server per name ("crm" for the CRM's outer page, "softphone" for a framed page...);
 *   `beforeLaunch` runs once the origins are known, before Chromium starts (it reads its managed
 *   policies at start)
 * @returns {Promise<PublicOrigins>}
 */
export async function startPublicOrigins({ handlers, launchOptions = {}, beforeLaunch }) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (or set CHROMIUM_BIN)`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'cti-public-origin-'));
  const servers = {};
  try {
    const tls = await makeCertificate(dir);
    for (const [name, handler] of Object.entries(handlers)) servers[name] = await serveHttps(tls, name, handler);
    if (beforeLaunch) await beforeLaunch(Object.values(servers).map((s) => s.origin));
    const overrides = Object.values(servers).map((s) => `127.0.0.1:${s.port}=public`).join(',');
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      ...launchOptions,
      args: [...CHROMIUM_ARGS, '--ignore-certificate-errors', `--ip-address-space-overrides=${overrides}`,
        `--host-resolver-rules=${Object.values(servers).map((s) => `MAP ${s.host} 127.0.0.1`).join(', ')}`,
        ...(launchOptions.args || [])],
    });
    return new PublicOrigins(dir, servers, browser);
  } catch (err) {
    for (const s of Object.values(servers)) s.server.close();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** The running servers and browser; `origins` are what the adapter's allowed_origins list. */
export class PublicOrigins {
  constructor(dir, servers, browser) {
    this.dir = dir;
    this.servers = servers;
    this.browser = browser;
  }

  /** `https://NAME.crm.test:PORT` of the server called `name`. */
  origin(name) {
    return this.servers[name].origin;
  }

  /** All the https origins, for the adapter's allowed_origins. */
  get origins() {
    return Object.values(this.servers).map((s) => s.origin);
  }

  /**
   * A fresh browser context; `granted: true` is the user who clicked Allow on the local network
   * access prompt (for every origin of the harness).
   */
  async newContext({ granted = false } = {}) {
    const context = await this.browser.newContext();
    if (granted) await context.grantPermissions(['local-network-access']);
    return context;
  }

  /** Stops the browser and the servers and removes the certificate. */
  async close() {
    await this.browser.close().catch(() => {});
    await Promise.all(Object.values(this.servers).map(async (s) => {
      s.server.closeAllConnections();
      s.server.close();
      await once(s.server, 'close').catch(() => {});
    }));
    await rm(this.dir, { recursive: true, force: true }).catch(() => {});
  }
}
