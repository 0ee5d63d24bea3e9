// The /pair page: lists the pages asking to pair (origin, name, code) with Approve and Deny,
// and the paired pages with Revoke. It runs on the adapter's own origin, the only one allowed
// to send the pairing.* commands (docs/PROTOCOL.md, section 1.3).
import { CtiClient } from './cti.js';

const REFRESH_MS = 1000;

const cti = new CtiClient({ ports: [Number(location.port)], host: location.hostname });
const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

function element(tag, { dataset = {}, ...props } = {}, children = []) {
  const node = Object.assign(document.createElement(tag), props);
  Object.assign(node.dataset, dataset);
  node.append(...children);
  return node;
}

function button(label, testId, action) {
  return element('button', {
    type: 'button',
    className: 'button',
    textContent: label,
    onclick: () => run(action),
    dataset: { testid: testId },
  });
}

async function run(action) {
  try {
    await action();
  } catch (error) {
    byTestId('pair-status').textContent = `${error.code || 'error'}: ${error.message}`;
  }
  await refresh();
}

function requestItem(request) {
  return element('li', { className: 'pair-item', dataset: { testid: 'pair-request', requestId: request.id } }, [
    element('div', { className: 'pair-origin', textContent: request.origin, dataset: { testid: 'pair-origin' } }),
    element('div', { className: 'pair-name', textContent: request.name, dataset: { testid: 'pair-name' } }),
    element('div', { className: 'pair-code', textContent: request.code, dataset: { testid: 'pair-code' } }),
    button('Approve', 'pair-approve', () => cti.send('pairing.approve', { request_id: request.id })),
    button('Deny', 'pair-deny', () => cti.send('pairing.deny', { request_id: request.id })),
  ]);
}

function pairingItem(pairing) {
  const used = pairing.last_used ? `last used ${pairing.last_used}` : 'never used';
  const children = [
    element('div', { className: 'pair-origin', textContent: pairing.origin }),
    element('div', { className: 'pair-name', textContent: `${pairing.name} · ${used}` }),
  ];
  if (pairing.source === 'paired') {
    children.push(button('Revoke', 'pair-revoke', () => cti.send('pairing.revoke', { target: pairing.id })));
  }
  return element('li', { className: 'pair-item', dataset: { testid: 'pairing', pairingId: pairing.id } }, children);
}

function show(listId, emptyId, items) {
  byTestId(listId).replaceChildren(...items);
  byTestId(emptyId).hidden = items.length > 0;
}

async function refresh() {
  if (!cti.connected) return;
  const listing = await cti.send('pairing.list');
  show('pair-requests', 'no-pair-requests', listing.pending.map(requestItem));
  show('pairings', 'no-pairings', listing.paired.map(pairingItem));
}

cti.on('connection', (info) => {
  byTestId('pair-status').textContent = info.state === 'connected' ? 'Connected' : 'Connecting…';
});
await cti.connect();
await refresh();
// Requests come from other pages at any time; a short poll keeps the list current.
setInterval(() => refresh().catch(() => {}), REFRESH_MS);
