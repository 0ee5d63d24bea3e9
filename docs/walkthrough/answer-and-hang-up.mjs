// Stands in for the softphone page when no browser is at hand: connects to the adapter on
// port 11000 as the adapter's own page does, prints the events, answers the first call that
// pops and hangs it up a second later. Run with Node.js 20: node --experimental-websocket FILE
const port = process.env.CTI_PORT ?? '11000';
const origin = `http://127.0.0.1:${port}`;
const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { Origin: origin } });
let nextId = 0;
const send = (command) => ws.send(JSON.stringify({ v: 1, id: String(++nextId), ...command }));

ws.onmessage = (message) => {
  const frame = JSON.parse(message.data);
  if (frame.type !== 'event') return;
  const what = frame.caller ?? frame.call?.state ?? frame.status;
  console.log(`event ${frame.name} ${JSON.stringify(what)}`);
  if (frame.name === 'screen_pop') send({ type: 'answer', call_id: frame.call_id });
  if (frame.name === 'call.connected') setTimeout(() => send({ type: 'hangup', call_id: frame.call.id }), 1000);
  if (frame.name === 'call.ended') {
    console.log(`reason ${frame.reason}`);
    ws.close();
  }
};
ws.onerror = (event) => console.error(`cannot talk to the adapter: ${event.message ?? 'error'}`);
