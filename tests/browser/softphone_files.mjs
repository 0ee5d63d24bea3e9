// Serves the packaged Salesforce softphone folder (installer/salesforce/package.sh: the page's
// files, cti.js and its modules in cti/, each at its path in the folder), and the
// Open CTI stand-in (open_cti_stand_in.js) at the path Salesforce serves Open CTI from, the way
// Salesforce serves the page. Shared by the Salesforce softphone tests on loopback and on
// public https origins.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const OPEN_CTI_PATH = /^\/support\/api\/\d+\.\d+\/lightning\/opencti_min\.js$/;
const CONTENT_TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.ts': 'text/plain' };

/**
 * A request handler for http(s).createServer. `state.standIn` is the stand-in's configuration
 * for the next page load.
 * @param {string} root  the CtiSoftphone folder
 * @param {string} standInSource  open_cti_stand_in.js
 * @param {{standIn: object}} state
 */
export function softphoneFiles(root, standInSource, state) {
  return async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (OPEN_CTI_PATH.test(path)) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      res.end(`window.openCtiStandInConfig = ${JSON.stringify(state.standIn)};\n${standInSource}`);
      return;
    }
    if (path === '/favicon.ico') { // as Salesforce's domains have one: no 404 in the console
      res.writeHead(204);
      res.end();
      return;
    }
    const file = normalize(join(root, path));
    if (!file.startsWith(root) || !existsSync(file) || path === '/') {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': `${CONTENT_TYPES[extname(file)] || 'application/octet-stream'}; charset=utf-8` });
    res.end(await readFile(file));
  };
}
