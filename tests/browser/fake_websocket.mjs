// A scripted stand-in for the browser's WebSocket, for testing cti.js in Node without a server.
//
// The test plays the adapter: it sees every socket the client opens (`sockets`, `nextSocket()`)
// and drives it with `accept()`, `refuse()`, `receive(frame)` and `drop(code)`. Frames the client
// sends are parsed into `socket.sent`, and `socket.nextSent()` waits for the next one.

export function createFakeWebSocket() {
  const sockets = [];
  const socketWaiters = [];

  class FakeWebSocket {
    static CONNECTING = 0;
    static OPEN = 1;
    static CLOSING = 2;
    static CLOSED = 3;

    constructor(url) {
      this.url = url;
      this.port = Number(new URL(url).port);
      this.readyState = FakeWebSocket.CONNECTING;
      this.sent = [];
      this.closedByClient = null;
      this.onopen = null;
      this.onmessage = null;
      this.onerror = null;
      this.onclose = null;
      this._sentWaiters = [];
      sockets.push(this);
      const waiter = socketWaiters.shift();
      if (waiter) waiter(this);
    }

    // --- the client's side -----------------------------------------------------------------

    send(text) {
      if (this.readyState !== FakeWebSocket.OPEN) throw new Error('InvalidStateError: not open');
      const frame = JSON.parse(text);
      this.sent.push(frame);
      const waiter = this._sentWaiters.shift();
      if (waiter) waiter(frame);
    }

    close(code = 1000, reason = '') {
      if (this.readyState >= FakeWebSocket.CLOSING) return;
      this.readyState = FakeWebSocket.CLOSED;
      this.closedByClient = { code, reason };
      if (this.onclose) this.onclose({ code, reason, wasClean: true });
    }

    // --- the server's side (driven by the test) ---------------------------------------------

    /** The upgrade succeeds; then the server sends `hello` (and usually a snapshot). */
    accept(...frames) {
      this.readyState = FakeWebSocket.OPEN;
      if (this.onopen) this.onopen({});
      for (const frame of frames) this.receive(frame);
    }

    /** Connection refused / 403: error, then close 1006. */
    refuse() {
      this.readyState = FakeWebSocket.CLOSED;
      if (this.onerror) this.onerror({});
      if (this.onclose) this.onclose({ code: 1006, reason: '', wasClean: false });
    }

    /** The server sends one frame. */
    receive(frame) {
      if (this.onmessage) this.onmessage({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
    }

    /** The server closes or the connection drops. */
    drop(code = 1006) {
      if (this.readyState === FakeWebSocket.CLOSED) return;
      this.readyState = FakeWebSocket.CLOSED;
      if (this.onclose) this.onclose({ code, reason: '', wasClean: code !== 1006 });
    }

    /** Resolves with the next frame the client sends (or the first one not yet awaited). */
    nextSent() {
      const index = this._awaited ?? 0;
      this._awaited = index + 1;
      if (index < this.sent.length) return Promise.resolve(this.sent[index]);
      return new Promise((resolve) => this._sentWaiters.push(resolve));
    }
  }

  /** Resolves with the next socket the client creates (or one created and not yet awaited). */
  let awaitedSockets = 0;
  function nextSocket() {
    const index = awaitedSockets++;
    if (index < sockets.length) return Promise.resolve(sockets[index]);
    return new Promise((resolve) => socketWaiters.push(resolve));
  }

  return { FakeWebSocket, sockets, nextSocket };
}
