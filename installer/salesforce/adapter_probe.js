/**
 * adapter_probe.js — why the softphone cannot reach the adapter.
 *
 * A browser does not tell a page why a WebSocket failed: "nothing listens on the port" and
 * "the adapter refused this page's origin with 403" look the same. A `no-cors` request tells
 * them apart: it succeeds (with a response the page may not read) whenever something answers
 * on the port, and fails only when nothing does. So if a port answers while cti.js still
 * cannot connect, the adapter is running and refuses this origin.
 */

/**
 * @param {number[]} ports
 * @param {string} host
 * @returns {Promise<{reason: 'origin_refused', port: number} | {reason: 'not_running'}>}
 */
export async function diagnoseAdapter(ports, host = '127.0.0.1') {
  for (const port of ports) {
    if (await answers(`http://${host}:${port}/health`)) return { reason: 'origin_refused', port };
  }
  return { reason: 'not_running' };
}

async function answers(url) {
  try {
    await fetch(url, { mode: 'no-cors', cache: 'no-store', credentials: 'omit' });
    return true;
  } catch {
    return false;
  }
}
