// The benchmark's second peer (docs/PERFORMANCE.md): what bench/lower_bound_server.cpp does,
// written the way a small Node.js service would be, with the `ws` package. WebSockets on
// 127.0.0.1 (no checks); a snapshot on connect; one canned result for any frame; every trigger
// datagram's bytes, an already encoded frame, sent to every page as a text message.
//
// Prints "node-forwarder listening on PORT trigger PORT" and runs until SIGTERM or SIGINT.
import dgram from 'node:dgram';
import { WebSocketServer } from 'ws';

const snapshot = '{"seq":0,"type":"snapshot","v":1}';
const result = '{"data":{},"id":"lb","ok":true,"type":"result","v":1}';

// ws sets TCP_NODELAY on every connection and leaves permessage-deflate off: as the lower bound.
const pages = new WebSocketServer({ host: '127.0.0.1', port: 0 });
pages.on('connection', (page) => {
  page.send(snapshot);
  page.on('message', () => page.send(result));
});

const trigger = dgram.createSocket('udp4');
trigger.on('message', (frame) => {
  for (const page of pages.clients) page.send(frame, { binary: false });
});

let waiting = 2;
const ready = () => {
  if (--waiting > 0) return;
  console.log(`node-forwarder listening on ${pages.address().port} trigger ${trigger.address().port}`);
};
pages.on('listening', ready);
trigger.bind(0, '127.0.0.1', ready);

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
