// The options page: shows the origins IT set (read-only) and edits the user's own list in
// chrome.storage.local. The service worker sees the change and re-registers the content script.

import { ORIGINS_KEY, localOrigins, managedOrigins, parseOrigin } from './origins.js';

const managedList = document.getElementById('managed');
const localList = document.getElementById('local');
const form = document.getElementById('add');
const input = document.getElementById('origin');
const errorLine = document.getElementById('error');

function item(origin, onRemove) {
  const li = document.createElement('li');
  const code = document.createElement('code');
  code.textContent = origin;
  li.append(code);
  if (onRemove) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Remove';
    button.addEventListener('click', onRemove);
    li.append(' ', button);
  }
  return li;
}

async function show() {
  const [managed, local] = await Promise.all([managedOrigins(), localOrigins()]);
  managedList.replaceChildren(...(managed.length ? managed.map((o) => item(o)) : [item('none')]));
  localList.replaceChildren(...local.map((o) => item(o, () => remove(o))));
}

async function remove(origin) {
  const local = await localOrigins();
  await chrome.storage.local.set({ [ORIGINS_KEY]: local.filter((o) => o !== origin) });
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  errorLine.textContent = '';
  let origin;
  try {
    origin = parseOrigin(input.value.trim());
  } catch (error) {
    errorLine.textContent = error.message;
    return;
  }
  // https pages are covered by the manifest's host permission; an http page (an intranet CRM)
  // needs the user's yes for that one origin, asked here while the click still counts as a gesture.
  if (origin.startsWith('http:')) {
    const granted = await chrome.permissions.request({ origins: [`${origin}/*`] });
    if (!granted) {
      errorLine.textContent = `the browser did not grant access to ${origin}; the bridge cannot run there`;
      return;
    }
  }
  const local = await localOrigins();
  if (!local.includes(origin)) await chrome.storage.local.set({ [ORIGINS_KEY]: [...local, origin] });
  input.value = '';
});

chrome.storage.onChanged.addListener((changes) => { if (ORIGINS_KEY in changes) show(); });
show();
