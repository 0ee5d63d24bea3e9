/**
 * cti.js — browser client for the cti-adapter (wire protocol version 1).
 *
 * ES modules with no dependencies and no build step: this file and the folder `cti/` beside
 * it. Import it from the adapter (`http://127.0.0.1:PORT/cti.js`) or copy both next to your
 * own page:
 *
 *   import { CtiClient } from './cti.js';
 *   const cti = new CtiClient();
 *   cti.on('call.ringing', (ev) => console.log('ringing', ev.call.from.number));
 *   cti.connect();
 *   await cti.dial('+14155550123');
 *
 * What the client does for you (see docs/PROTOCOL.md for the wire format):
 *  - finds the adapter: tries `ws://HOST:PORT/ws` for each port in order and keeps the first
 *    server whose first frame is a `hello` from `cti-adapter`;
 *  - reconnects forever after a drop, with exponential backoff (0.5 s doubling to 10 s, jittered);
 *  - keeps the list of active calls from the snapshot and the events;
 *  - keeps the agent's state (ready / not ready with a reason / wrap-up) from the snapshot and
 *    the `agent.state` events, and changes it with `setAgentState()`;
 *  - keeps the list of pending call logs (ended calls no page has saved yet) from the snapshot
 *    and the `call_log` / `call_log.saved` events, and saves them with `saveLog()`;
 *  - applies events strictly in `seq` order: an event is applied only when its `seq` is exactly
 *    one more than the last one applied, duplicates are ignored, and a gap triggers a session
 *    `resume`. After reconnecting to the same adapter run (same `epoch`) it resumes the event
 *    stream, so events that happened while it was away (for example `call.ended`) still arrive;
 *  - matches every command with its `result` by `id` and turns it into a Promise;
 *  - pairs with the adapter when it asks for a token (a page of any origin but the adapter's
 *    own): it authenticates with the token it stored (localStorage, per adapter host and port
 *    list), or else asks to pair and emits `pairing` with the code the user must see on the
 *    adapter's `/pair` page; it stores the token it is given, and forgets a token the adapter
 *    refuses (close 4001) or revoked (close 4003) and pairs again.
 *
 * This file is the entry: it re-exports the public API of the modules in `cti/`, one job each
 * (protocol.js, connection.js with extension_transport.js, pairing.js, session.js,
 * commands.js, click_to_dial.js; client.js puts them together), so pages that import
 * `./cti.js` keep working as the modules change.
 *
 * The module touches no DOM at import time, so it can also be loaded in a worker or in Node
 * (pass a WebSocket implementation in the options there).
 */

export { CtiError, EVENT_NAMES, PROTOCOL_VERSION } from './cti/protocol.js';
export { DEFAULT_PORTS, UNREACHABLE_REMEDIES, probe } from './cti/connection.js';
export { parseTelHref } from './cti/click_to_dial.js';
export { CtiClient, CtiClient as default } from './cti/client.js';
