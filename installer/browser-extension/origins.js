// The one list of page origins the bridge serves: what IT set in managed storage plus what the
// user added on the options page. The service worker (to register the content script and to
// check every port's sender) and the options page read it from here, so they cannot disagree.

/** The storage key, the same in managed storage (schema.json) and in chrome.storage.local. */
export const ORIGINS_KEY = 'allowed_origins';

/**
 * Checks that `text` is exactly one origin as a browser writes it (`https://host[:port]`, no
 * path, no wildcard, lower case) and returns it; throws an Error that says what is wrong.
 * Exact origins only, like the adapter's own allow-list: a prefix or a pattern would let a
 * look-alike site in.
 */
export function parseOrigin(text) {
  if (typeof text !== 'string' || text === '') {
    throw new Error('an origin must be a non-empty string such as https://crm.example.com');
  }
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`'${text}' is not a URL; expected an origin such as https://crm.example.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`'${text}' is not an http or https origin`);
  }
  if (url.origin !== text) {
    throw new Error(`'${text}' is not an exact origin: write it as ${url.origin} (no path, no trailing slash, lower case)`);
  }
  return url.origin;
}

/** The valid origins of `list` (anything else is left out, with the reason on the console). */
export function validOrigins(list, from) {
  if (!Array.isArray(list)) return [];
  const origins = [];
  for (const item of list) {
    try {
      origins.push(parseOrigin(item));
    } catch (error) {
      console.warn(`cti-adapter bridge: ignoring an entry of ${from}: ${error.message}`);
    }
  }
  return origins;
}

/** The managed (IT's policy) origins; none when no policy is set or the browser has no managed storage. */
export async function managedOrigins() {
  try {
    const stored = await chrome.storage.managed.get(ORIGINS_KEY);
    return validOrigins(stored[ORIGINS_KEY], 'the managed policy');
  } catch {
    return [];
  }
}

/** The origins the user added on the options page. */
export async function localOrigins() {
  const stored = await chrome.storage.local.get(ORIGINS_KEY);
  return validOrigins(stored[ORIGINS_KEY], 'the options page');
}

/** Managed and local origins together, each once, sorted. */
export async function allowedOrigins() {
  const [managed, local] = await Promise.all([managedOrigins(), localOrigins()]);
  return [...new Set([...managed, ...local])].sort();
}

/**
 * The content-script match pattern for an origin. Chromium matches the port when the pattern
 * names one; Firefox's patterns cannot name a port, so there the pattern covers the host on any
 * port and the service worker's exact check of the sender's origin is what keeps other ports out.
 */
export function matchPattern(origin, { portsInPatterns = true } = {}) {
  const url = new URL(origin);
  const host = portsInPatterns ? url.host : url.hostname;
  return `${url.protocol}//${host}/*`;
}
