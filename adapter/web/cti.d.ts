/**
 * Type declarations for cti.js, the browser client of the cti-adapter (wire protocol version 1).
 *
 * cti.js is the entry of the client's modules (the folder `cti/` beside it) and re-exports all
 * that is public, so these declarations are of cti.js alone; a test checks them against the
 * modules (tests/browser/softphone_page.test.mjs). Served by the adapter next to the module
 * (`http://127.0.0.1:PORT/cti.d.ts`). Copy it with cti.js and `cti/` into a TypeScript project,
 * or point a `declare module` / path mapping at this file:
 *
 *   import { CtiClient, type Call } from './cti.js';
 *
 * The wire format is described in docs/PROTOCOL.md, the client in docs/BROWSER-CLIENT.md.
 */

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

/** Protocol version spoken by this client. */
export declare const PROTOCOL_VERSION: 1;

/** Ports the adapter listens on by default: `port` then `port_fallbacks`. */
export declare const DEFAULT_PORTS: readonly number[];

/** Names of the events the adapter sends (protocol section 3). */
export declare const EVENT_NAMES: readonly AdapterEventName[];

// ---------------------------------------------------------------------------------------------
// Protocol objects
// ---------------------------------------------------------------------------------------------

/** One end of a call. `name` is '' when unknown. */
export interface Party {
  number: string;
  name: string;
}

export type CallDirection = 'inbound' | 'outbound' | 'internal';

export type CallState = 'ringing' | 'dialing' | 'connected' | 'held' | 'ended';

export type EndReason =
  | 'normal'
  | 'missed'
  | 'rejected'
  | 'busy'
  | 'failed'
  | 'answered_elsewhere'
  | 'driver_lost';

/** A call as the adapter describes it (protocol section 3.1). Times are ISO-8601 UTC. */
export interface Call {
  id: string;
  direction: CallDirection;
  state: CallState;
  from: Party;
  to: Party;
  started_at: string;
  answered_at: string | null;
  ended_at: string | null;
  end_reason: EndReason | null;
  /** Once ended: the phone system's reason in its own words ("486 Busy Here"), or "". */
  end_detail: string | null;
  driver: string;
}

/** The journal record of an ended call (protocol section 3.3). */
export interface CallLog {
  log_id: string;
  call_id: string;
  call_type: CallDirection;
  from: Party;
  to: Party;
  started_at: string;
  answered_at: string | null;
  ended_at: string;
  /** Seconds from the answer to the end; 0 for a call never answered. */
  duration_s: number;
  end_reason: EndReason | null;
  /** The phone system's reason in its own words, or "". */
  end_detail: string | null;
  driver: string;
  disposition: string | null;
  notes: string | null;
  /** True once a page saved it with `save_log`. */
  acknowledged: boolean;
  /** Orders the records and pages `history()`. */
  cursor: number;
  /** Present (false) only when the adapter could not write the record to its journal. */
  journaled?: boolean;
}

export type AgentStateName = 'ready' | 'not_ready' | 'wrap_up';

/** The agent's state. */
export interface AgentInfo {
  state: AgentStateName;
  /** `not_ready` only: one of the `not_ready_reasons` from `hello`. */
  reason: string | null;
  since: string;
  /** `wrap_up` only: when it turns `ready` by itself. */
  wrap_up_ends_at: string | null;
}

/** A contact a caller's number matched: from the directory file or the HTTP lookup. */
export interface Contact {
  id: string;
  name: string;
  /** Normalised: E.164 (`+14155550123`) or an extension. */
  numbers: string[];
  /** The record's other columns. */
  fields: Record<string, string>;
  source: 'directory' | 'http' | (string & {});
}

export type PopKind = 'none' | 'record' | 'search' | 'new_record';

/** What the page opens for a screen pop; `url` is null for `none`. */
export interface PopAction {
  kind: PopKind;
  url: string | null;
}

/** A call field the screen-pop rules ask the page to show (`from_number`, `contact.company`, ...). */
export interface PopField {
  key: string;
  value: string;
}

export type DriverStatus = 'connecting' | 'connected' | 'disconnected' | 'stopped';

export interface DriverInfo {
  name: string;
  status: DriverStatus | (string & {});
  detail: string;
}

/** Call-control commands a driver may support (`hello.capabilities`). */
export type Capability =
  | 'answer'
  | 'decline'
  | 'dial'
  | 'dtmf'
  | 'hangup'
  | 'hold'
  | 'resume'
  | 'simulate'
  | 'transfer';

/** Error codes of the adapter (protocol section 2.3). */
export type AdapterErrorCode =
  | 'bad_request'
  | 'unknown_command'
  | 'unsupported'
  | 'no_such_call'
  | 'invalid_state'
  | 'invalid_number'
  | 'driver_unavailable'
  | 'driver_error'
  | 'unsupported_version'
  | 'no_such_log'
  | 'storage_error';

/** Codes of `error` frames (a frame that was not a command). */
export type FrameErrorCode = 'bad_json' | 'not_an_object' | 'binary_frame';

/** Codes the client itself produces. */
export type ClientErrorCode = 'not_connected' | 'timeout';

export type CtiErrorCode = AdapterErrorCode | FrameErrorCode | ClientErrorCode | (string & {});

// ---------------------------------------------------------------------------------------------
// Frames
// ---------------------------------------------------------------------------------------------

/** Fields every frame carries. */
export interface FrameBase {
  v: 1;
  type: string;
}

/**
 * A page of another origin than the adapter's gets only this first; it must `authenticate` or
 * `pair` (the client does it) before the full `hello` follows.
 */
export interface AuthRequiredHelloFrame extends FrameBase {
  type: 'hello';
  product: 'cti-adapter';
  version: string;
  protocol: number;
  auth: 'required';
}

/** The first frame of every connection (after authenticating, for other origins). */
export interface HelloFrame extends FrameBase {
  type: 'hello';
  product: 'cti-adapter';
  version: string;
  protocol: number;
  epoch: string;
  driver: DriverInfo;
  capabilities: Array<Capability | (string & {})>;
  /** The reasons `set_agent_state` accepts for `not_ready`. */
  not_ready_reasons: string[];
}

/** The state of the adapter: the body of a `snapshot` frame and of the `snapshot` result. */
export interface SnapshotData {
  epoch: string;
  seq: number;
  driver: DriverInfo;
  calls: Call[];
  /** Call logs no page has saved yet, oldest first. */
  call_logs: CallLog[];
  agent: AgentInfo;
  /** The last screen pop of each active call. */
  screen_pops: ScreenPop[];
}

export interface SnapshotFrame extends FrameBase, SnapshotData {
  type: 'snapshot';
  resync: boolean;
}

export interface CommandFrame extends FrameBase {
  id: string;
  [field: string]: unknown;
}

export interface ErrorInfo {
  code: CtiErrorCode;
  message: string;
}

export type ResultFrame =
  | (FrameBase & { type: 'result'; id: string | null; ok: true; data: Record<string, unknown> })
  | (FrameBase & { type: 'result'; id: string | null; ok: false; error: ErrorInfo });

export interface ErrorFrame extends FrameBase {
  type: 'error';
  error: ErrorInfo;
}

/** Fields every event frame carries. */
export interface EventFrameBase extends FrameBase {
  type: 'event';
  seq: number;
  epoch: string;
}

export interface CallEvent<N extends 'call.ringing' | 'call.dialing' | 'call.connected' | 'call.held' | 'call.resumed'>
  extends EventFrameBase {
  name: N;
  call: Call;
}

export interface CallEndedEvent extends EventFrameBase {
  name: 'call.ended';
  call: Call;
  reason: EndReason;
  /** The phone system's reason in its own words ("404 Not Found"), or "" when it gave none. */
  detail: string;
}

/** A screen pop: the body of a `screen_pop` event and an entry of a snapshot's `screen_pops`. */
export interface ScreenPop {
  call_id: string;
  /** `internal` also for an inbound call from an extension-length number. */
  call_type: CallDirection;
  caller: Party;
  called: Party;
  call: Call;
  /** The other party's number as looked up (E.164 or an extension); null when there is none. */
  number: string | null;
  match: 'none' | 'single' | 'multiple';
  /** The contacts the number matched: directory file first, then the HTTP lookup. */
  matches: Contact[];
  /** What to open, by the rules of the call type and the number of matches. */
  pop: PopAction;
  /** The call fields the rules of the call type ask the page to show, in order. */
  fields: PopField[];
}

export interface ScreenPopEvent extends EventFrameBase, ScreenPop {
  name: 'screen_pop';
  /** True when handed on from a snapshot (the page connected while the call was up); its
   *  `seq` is the snapshot's. A page that opens pop URLs by itself skips these: the URL was
   *  opened when the pop first came. */
  replayed?: boolean;
}

export interface AgentStateEvent extends EventFrameBase {
  name: 'agent.state';
  agent: AgentInfo;
}

export interface CallLogEvent extends EventFrameBase {
  name: 'call_log';
  log: CallLog;
}

export interface CallLogSavedEvent extends EventFrameBase {
  name: 'call_log.saved';
  log: CallLog;
}

export interface DriverStatusEvent extends EventFrameBase {
  name: 'driver.status';
  driver: DriverInfo;
  status: DriverStatus | (string & {});
}

/** Every adapter event, by name. */
export interface AdapterEventMap {
  'call.ringing': CallEvent<'call.ringing'>;
  'call.dialing': CallEvent<'call.dialing'>;
  'call.connected': CallEvent<'call.connected'>;
  'call.held': CallEvent<'call.held'>;
  'call.resumed': CallEvent<'call.resumed'>;
  'call.ended': CallEndedEvent;
  'screen_pop': ScreenPopEvent;
  'agent.state': AgentStateEvent;
  'call_log': CallLogEvent;
  'call_log.saved': CallLogSavedEvent;
  'driver.status': DriverStatusEvent;
}

export type AdapterEventName = keyof AdapterEventMap;

export type CtiEvent = AdapterEventMap[AdapterEventName];

export type Frame = HelloFrame | SnapshotFrame | ResultFrame | ErrorFrame | CtiEvent;

// ---------------------------------------------------------------------------------------------
// The client
// ---------------------------------------------------------------------------------------------

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

/** Payload of the client-level `connection` event. */
export interface ConnectionInfo {
  state: ConnectionState;
  /** The adapter's port (connected / disconnected); null while scanning. */
  port: number | null;
  /** The adapter run the client last saw. */
  epoch: string | null;
  /** Disconnected only: when the next attempt starts. */
  retryInMs?: number;
  /** Disconnected after a drop: the WebSocket close code. */
  closeCode?: number;
  /** Disconnected after a pass that found no adapter: why (see `UNREACHABLE_REMEDIES`). */
  reason?: UnreachableReason;
  /** With `reason`: what the user (or IT) can do, in plain words. */
  remedy?: string;
  /** Connected: how the client reaches the adapter. */
  transport?: 'websocket' | 'extension';
}

/**
 * Why no adapter answered: the browser blocked the page (local network access not granted),
 * none runs (the browser let the page through), or the browser does not say which.
 */
export type UnreachableReason = 'blocked' | 'no_adapter' | 'unreachable';

/** The plain-words remedy for each `UnreachableReason`. */
export declare const UNREACHABLE_REMEDIES: Readonly<Record<UnreachableReason, string>>;

/** Payload of the client-level `pairing` event (protocol section 1.3). */
export interface PairingInfo {
  state: 'waiting' | 'paired' | 'failed';
  /** Waiting: the 6 digits the user compares on the adapter's /pair page. */
  code?: string;
  /** Waiting: the adapter's /pair page, e.g. http://127.0.0.1:11000/pair. */
  approveAt?: string;
  /** Waiting: how long the request stays open. */
  expiresInMs?: number;
  /** Failed: `denied`, `expired`, or an error code. */
  reason?: string;
}

/** Where the client keeps its pairing tokens (default: localStorage, else memory). */
export interface TokenStore {
  get(key: string): string | null;
  set(key: string, token: string): void;
  remove(key: string): void;
}

/** Events of the client itself, by name. */
export interface ClientEventMap {
  /** Every adapter event. */
  '*': CtiEvent;
  connection: ConnectionInfo;
  hello: HelloFrame;
  /** A snapshot frame, or the data of `snapshot()` (then `resync` is false). */
  snapshot: SnapshotFrame;
  /** The active calls after every change. */
  calls: Call[];
  /** The pending call logs after every change, oldest first. */
  logs: CallLog[];
  driver: DriverInfo;
  /** The agent's state whenever it may have changed (snapshot, `agent.state`). */
  agent: AgentInfo;
  /** The adapter wants this page paired: `waiting` (with the code to show), then `paired` or `failed`. */
  pairing: PairingInfo;
  error: CtiError;
}

export type CtiEventMap = AdapterEventMap & ClientEventMap;

export type CtiEventName = keyof CtiEventMap;

/** A WebSocket implementation: the browser's, or one with the same interface (Node, tests). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: any) => void) | null;
  onmessage: ((event: { data: any }) => void) | null;
  onerror: ((event: any) => void) | null;
  onclose: ((event: { code?: number; reason?: string; wasClean?: boolean }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface CtiClientOptions {
  /** Ports to try, in order (default 11000–11003). */
  ports?: number[];
  /** Default '127.0.0.1'. */
  host?: string;
  /** Connect with wss:// instead of ws:// (the adapter's `tls` setting, docs/TLS.md). Default false. */
  secure?: boolean;
  /** How long a command waits for its result (default 10000 ms). */
  commandTimeoutMs?: number;
  /** How long a port may take to send `hello` (default 5000 ms). */
  handshakeTimeoutMs?: number;
  /** First reconnect delay (default 500 ms). */
  reconnectDelayMs?: number;
  /** Reconnect delay cap (default 10000 ms). */
  maxReconnectDelayMs?: number;
  /** WebSocket implementation (default globalThis.WebSocket). */
  WebSocket?: WebSocketConstructor;
  /** The name the adapter's /pair page shows when this page asks to pair (default: document.title). */
  appName?: string;
  /** Where pairing tokens are kept (default: localStorage, per adapter host and port list). */
  tokenStore?: TokenStore;
  /**
   * How to reach the adapter (default 'auto'): the WebSocket only, the phone adapter browser
   * extension only, or the WebSocket first and the extension when it is present and the
   * WebSocket did not get through.
   */
  transport?: 'auto' | 'websocket' | 'extension';
  /** How long 'auto' waits for the extension to answer its ping (default 300 ms). */
  extensionTimeoutMs?: number;
}

export interface SaveLogFields {
  /** At most 128 bytes; omitted keeps the record's. */
  disposition?: string | null;
  /** At most 8000 bytes; omitted keeps the record's. */
  notes?: string | null;
}

export interface HistoryOptions {
  /** 1–100, default 20. */
  limit?: number;
  /** A cursor: the `next` of the previous page. */
  before?: number | null;
}

export interface HistoryPage {
  /** Newest first. */
  logs: CallLog[];
  /** Pass as `before` for the next page; null on the last page. */
  next: number | null;
}

export interface ClickToDialOptions {
  /** Called for every dial started by a click. */
  onDial?: (number: string, result: Promise<{ call_id: string }>) => void;
  /** Called when such a dial fails; without it the client emits `error`. */
  onError?: (error: CtiError, number: string) => void;
}

/** The error every failed command rejects with. */
export declare class CtiError extends Error {
  constructor(code: string, message: string);
  name: 'CtiError';
  /** The adapter's error code (protocol section 2.3) or `not_connected` / `timeout`. */
  code: CtiErrorCode;
}

/**
 * Extracts the number from a `tel:` URI: strips the scheme and any `;parameters`, then
 * percent-decodes. Returns '' when `href` is not a `tel:` URI or holds no number.
 */
export declare function parseTelHref(href: string | null | undefined): string;

/** Options of `probe()`. */
export interface ProbeOptions {
  /** Ports to try in order (default DEFAULT_PORTS). */
  ports?: number[];
  /** Default '127.0.0.1'. */
  host?: string;
  /** How long each port may take to answer (default 3000). */
  timeoutMs?: number;
  /** A fetch implementation (default globalThis.fetch). */
  fetch?: typeof fetch;
}

/** What `GET /probe` told about the adapter, and the port that answered. */
export interface ProbeResult {
  product: 'cti-adapter';
  version: string;
  port: number;
}

/**
 * Fetches `/probe` on each port in order; the first cti-adapter that answers, or null. Call it
 * on a user gesture before `connect()` so Chrome asks for local network access first.
 */
export declare function probe(options?: ProbeOptions): Promise<ProbeResult | null>;

/** Client for one cti-adapter. Create it, subscribe with `on()`, call `connect()`. */
export declare class CtiClient {
  constructor(options?: CtiClientOptions);

  /** The last `hello` frame. */
  hello: HelloFrame | null;
  /** The adapter run whose state the client holds. */
  epoch: string | null;
  /** `seq` of the last event applied (null until the first snapshot). */
  lastSeq: number | null;
  driver: DriverInfo | null;
  /** The agent's state (null until the first snapshot). */
  agent: AgentInfo | null;
  /** The reasons `setAgentState('not_ready', reason)` accepts (from `hello`). */
  notReadyReasons: string[];
  /** The last pairing state (null when the adapter asked for none). */
  pairing: PairingInfo | null;

  readonly connectionState: ConnectionState;
  /** How the current (or last) connection reaches the adapter; null before the first. */
  readonly transport: 'websocket' | 'extension' | null;
  /** True while a connection to an adapter is established. */
  readonly connected: boolean;
  /** The port of the adapter currently (or last) connected. */
  readonly port: number | null;
  /** Call-control commands the adapter's driver supports (from `hello`). */
  readonly capabilities: string[];
  /**
   * Whether the phone can do `action` now: the driver advertises it and, for a call, the call's
   * state allows it. Show only the controls for which this is true.
   */
  can(action: Exclude<Capability, 'simulate'>, call?: Call | string): boolean;
  /** The active calls (ended calls are removed), oldest first. */
  readonly calls: Call[];
  /** The call logs no page has saved yet, oldest first. */
  readonly pendingLogs: CallLog[];

  getCall(callId: string): Call | undefined;
  getPendingLog(logId: string): CallLog | undefined;

  /** Subscribes to an event; returns a function that unsubscribes. */
  on<K extends CtiEventName>(name: K, handler: (payload: CtiEventMap[K]) => void): () => void;
  on(name: string, handler: (payload: any) => void): () => void;
  /** Removes a handler added with `on()`. */
  off<K extends CtiEventName>(name: K, handler: (payload: CtiEventMap[K]) => void): void;
  off(name: string, handler: (payload: any) => void): void;

  /**
   * Starts connecting (and reconnecting after every drop until `close()`). Resolves with the
   * `hello` frame once connected and the first snapshot is in; rejects only when `close()`
   * comes first.
   */
  connect(): Promise<HelloFrame>;
  /**
   * Call from a click: fetches `/probe` so the browser asks the user for local network access,
   * then connects at once. Resolves with what `/probe` found, or null.
   */
  allowAccess(): Promise<ProbeResult | null>;
  /**
   * Asks the adapter to pair this page (again, e.g. after the user denied it); the client does
   * this by itself when it has no token. Resolves with the `waiting` info and its code.
   */
  pair(): Promise<PairingInfo>;
  /** Closes the connection and stops reconnecting; waiting commands reject with `not_connected`. */
  close(): void;

  /** Sends any command; resolves with the result's `data`. */
  send(type: string, fields?: Record<string, unknown>): Promise<Record<string, any>>;
  dial(to: string): Promise<{ call_id: string }>;
  answer(callId: string): Promise<{}>;
  decline(callId: string): Promise<{}>;
  hangup(callId: string): Promise<{}>;
  hold(callId: string): Promise<{}>;
  /** Takes a held call off hold. */
  resume(callId: string): Promise<{}>;
  transfer(callId: string, to: string): Promise<{}>;
  dtmf(callId: string, digits: string): Promise<{ sent?: string }>;
  /** Asks for a fresh snapshot; also refreshes `calls` and `pendingLogs`. */
  snapshot(): Promise<SnapshotData>;
  ping(): Promise<{ time: string }>;
  /** Saves a call log's wrap-up and acknowledges it; it leaves `pendingLogs`. */
  saveLog(logId: string, fields?: SaveLogFields): Promise<{ log: CallLog }>;
  /** Ready, or not ready with one of `notReadyReasons`; `agent.state` follows. */
  setAgentState(state: 'ready'): Promise<{ agent: AgentInfo }>;
  setAgentState(state: 'not_ready', reason: string): Promise<{ agent: AgentInfo }>;
  /** One page of the call-log history, newest first. */
  history(options?: HistoryOptions): Promise<HistoryPage>;

  /**
   * Makes `tel:` links under `root` (default: the document) dial through the adapter.
   * Returns a function that turns it off again.
   */
  enableClickToDial(root?: Document | Element, options?: ClickToDialOptions): () => void;
}

export default CtiClient;
