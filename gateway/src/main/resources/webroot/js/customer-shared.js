// What the customer page's views share: the page's root and its router, the catalogue (stores,
// menus), what the server says about delivery (fees, the express promise, districts), and the
// open order's live watch.

import { h } from './dom.js';
import { api } from './http.js';
import { won } from './format.js';
import { ko } from './labels.js';

export const app = document.getElementById('app');

export const catalog = {
  stores: [],
  menus: new Map(), // storeId -> menu
  // GET /api/delivery-options: {deliveryFee, expressFee, expressEtaMinutes, riderSpeedKmh, riderRadiusKm}
  options: {},
  districts: [], // GET /api/districts: [{nameKo, nameEn, lat, lng}]
};

/** The open order: its live watch, and the answer of POST /api/orders shown until the first live view. */
export const openOrder = { watcher: null, pendingView: null };

let route = () => {};
/** The function that shows the view of location.hash (the page's router). */
export function setRoute(fn) {
  route = fn;
}

export function go(hash) {
  if (location.hash === hash || (hash === '#/' && !location.hash)) route();
  else location.hash = hash;
}

export async function loadStores() {
  const data = await api('/api/stores');
  catalog.stores = Array.isArray(data) ? data : [];
  return catalog.stores;
}

export async function loadMenu(storeId) {
  if (!catalog.menus.has(storeId)) {
    const data = await api(`/api/stores/${encodeURIComponent(storeId)}/menu`);
    catalog.menus.set(storeId, Array.isArray(data) ? data : []);
  }
  return catalog.menus.get(storeId);
}

/** Loads the fees, the express promise and the districts once (they rarely change). */
let extrasLoaded = null;
export function loadExtras() {
  extrasLoaded ??= Promise.all([
    api('/api/delivery-options', { quiet: true })
      .then((o) => Object.assign(catalog.options, o ?? {}))
      .catch(() => {}),
    api('/api/districts', { quiet: true })
      .then((d) => (catalog.districts = Array.isArray(d) ? d : []))
      .catch(() => {}),
  ]);
  return extrasLoaded;
}

export const storeName = (s) => (s ? [s.nameKo, s.name].filter(Boolean).join(' ') : '');

/** The Korean name of a store from the catalogue, for views of orders placed before they had it. */
export const storeKo = (storeId) => catalog.stores.find((s) => s.storeId === storeId)?.nameKo;

/** A name in Korean with its English beside it, as the menu shows them: 한옥치킨 <en>Hanok Chicken</en>. */
export function names(nameKo, name, fallback = '') {
  if (nameKo && name && nameKo !== name) return [nameKo, ' ', h('span', { class: 'en' }, name)];
  return [nameKo || name || fallback];
}

export const emptyNote = (koText, enText, testid) =>
  h('p', { class: 'empty', testid }, ko(koText, enText));

export const hrSep = () => h('hr', { class: 'sep' });

/** One dish with a − / + stepper; `cart` is menuId -> quantity, onChange runs on every step. */
export function menuRow(item, cart, onChange) {
  const out = h('output', { testid: 'qty' }, String(cart.get(item.menuId) ?? 0));
  const minus = h(
    'button',
    { type: 'button', testid: 'qty-minus', 'aria-label': `${item.name} -1` },
    '−',
  );
  const plus = h(
    'button',
    { type: 'button', testid: 'qty-plus', 'aria-label': `${item.name} +1` },
    '+',
  );
  const set = (q) => {
    const v = Math.max(0, Math.min(99, q));
    if (v) cart.set(item.menuId, v);
    else cart.delete(item.menuId);
    out.textContent = String(v);
    minus.disabled = v === 0;
    plus.disabled = v === 99;
    onChange();
  };
  minus.addEventListener('click', () => set((cart.get(item.menuId) ?? 0) - 1));
  plus.addEventListener('click', () => set((cart.get(item.menuId) ?? 0) + 1));
  minus.disabled = !cart.get(item.menuId);
  return h(
    'div',
    { class: 'menu-item', testid: 'menu-item', dataset: { menuId: item.menuId } },
    h(
      'div',
      { class: 'name' },
      h('div', { class: 'strong' }, item.nameKo || item.name),
      h('div', { class: 'en' }, item.nameKo ? item.name : ''),
      h('div', { class: 'price', testid: 'menu-price' }, won(item.price)),
    ),
    h('div', { class: 'stepper' }, minus, out, plus),
  );
}

/** A labelled input: the label in Korean and English above it. */
export const field = (labelKo, labelEn, input) =>
  h('label', { class: 'field' }, h('span', null, ko(labelKo, labelEn)), input);
