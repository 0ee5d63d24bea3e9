// The browser client as a page that copies it serves it: cti.js and its modules in cti/, read
// from adapter/web. Shared by the test servers that stand in for such pages (a CRM, a foreign
// origin), so that each serves the whole client however it is split into modules.

import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'adapter', 'web');

/**
 * The client's files by the URL path a page imports them at: `/cti.js` and `/cti/NAME.js`.
 * @returns {Promise<Map<string, Buffer>>}
 */
export async function ctiClientFiles() {
  const files = new Map([['/cti.js', await readFile(join(WEB_DIR, 'cti.js'))]]);
  for (const name of await readdir(join(WEB_DIR, 'cti'))) {
    if (name.endsWith('.js')) files.set(`/cti/${name}`, await readFile(join(WEB_DIR, 'cti', name)));
  }
  return files;
}
