/**
 * softphone/dom.js — the few DOM helpers every view of the softphone page uses: building an
 * element, finding a part of a view's root, keeping a list of cards keyed by id.
 */

/**
 * Creates an element. `props`: attributes (`dataset`, `class`, `text` and `on*` handlers are
 * special); children: nodes or strings.
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

/** The element of `root` (itself included) with this data-testid; null when there is none. */
export function part(root, testId) {
  const selector = `[data-testid="${testId}"]`;
  return root.matches(selector) ? root : root.querySelector(selector);
}

/** A string usable inside an id attribute. */
export function cssSafe(text) {
  return String(text).replace(/[^A-Za-z0-9_-]/g, '_');
}

/**
 * Brings a container's cards in line with `items` (each with an `id`): removes the cards of
 * items that are gone, creates and appends cards for new ones, updates the rest in place (so
 * a focused button or a field being typed in survives).
 * @param {HTMLElement} container
 * @param {Map<string, {root: HTMLElement}>} cards
 */
export function syncCards(container, cards, items, create, update) {
  const wanted = new Set(items.map((item) => item.id));
  for (const [id, card] of cards) {
    if (!wanted.has(id)) {
      card.root.remove();
      cards.delete(id);
    }
  }
  for (const item of items) {
    let card = cards.get(item.id);
    if (!card) {
      card = create(item);
      cards.set(item.id, card);
      container.append(card.root);
    }
    update(card, item);
  }
}
