// The store's menu and the checkout: dishes into the cart, the delivery address, express, the card;
// POST /api/orders with an Idempotency-Key kept while the same order is retried.

import { addressBook } from './addresses.js';
import { addressPicker } from './address-picker.js';
import {
  app,
  catalog,
  emptyNote,
  field,
  go,
  hrSep,
  loadExtras,
  loadMenu,
  loadStores,
  menuRow,
  openOrder,
  storeName,
} from './customer-shared.js';
import { busy, h } from './dom.js';
import { won } from './format.js';
import { api } from './http.js';
import { ko } from './labels.js';
import { showErrors } from './form-errors.js';
import { remember } from './my-orders.js';
import { toast } from './toast.js';
import { uuid } from './uuid.js';

const DEFAULT_CARD = '4242424242424242';

const checkout = {
  storeId: null,
  cart: new Map(), // menuId -> quantity
  address: null,
  express: false,
  card: DEFAULT_CARD,
  key: null, // Idempotency-Key, kept while the same order is retried
  keyFor: null,
};
let book = null; // the customer's addresses

/** Starts the checkout of customer `subject` at the address they last ordered to. */
export function initCheckout(subject) {
  book = addressBook(subject);
  checkout.address = book.last();
}

export async function showMenu(storeId) {
  if (checkout.storeId !== storeId) {
    checkout.storeId = storeId;
    checkout.cart = new Map();
  }
  const back = h(
    'button',
    { type: 'button', class: 'btn ghost small', onClick: () => go('#/') },
    '← 가게 목록 Stores',
  );
  const header = h('div', { class: 'card' }, back);
  const menuBox = h(
    'div',
    { class: 'card', testid: 'menu' },
    h('p', { class: 'muted' }, '불러오는 중… Loading…'),
  );
  app.append(header, menuBox);
  const extras = loadExtras(); // the fees come from the server: the checkout waits for them
  let menu;
  try {
    if (!catalog.stores.length) await loadStores();
    menu = await loadMenu(storeId);
  } catch {
    menuBox.replaceChildren(emptyNote('메뉴를 불러오지 못했습니다', 'Could not load the menu'));
    return;
  }
  await extras;
  if (!header.isConnected) return; // navigated away meanwhile
  const store = catalog.stores.find((s) => s.storeId === storeId);
  header.append(storeHeading(store, storeId));
  const cart = cartSummary(menu);
  menuBox.replaceChildren(h('h3', null, ko('메뉴', 'Menu')));
  if (!menu.length) menuBox.append(emptyNote('메뉴가 없습니다', 'No menu items'));
  for (const item of menu) menuBox.append(menuRow(item, checkout.cart, cart.refresh));
  showCheckoutForm(storeId, store, menu, cart);
}

function storeHeading(store, storeId) {
  const open = !(store && store.open === false);
  return h(
    'div',
    { class: 'row store-heading' },
    h(
      'h2',
      { testid: 'menu-store-name' },
      store?.nameKo || store?.name || storeId,
      ' ',
      h('span', { class: 'en' }, store?.nameKo ? store.name : ''),
    ),
    h('span', { class: 'spacer' }),
    open
      ? h('span', { class: 'badge' }, '영업중 Open')
      : h('span', { class: 'badge closed' }, '준비중 Closed'),
  );
}

/** The subtotal, the fee and the total of the cart, and the order button that says the total. */
function cartSummary(menu) {
  const summary = h('div', { class: 'summary', testid: 'order-summary' });
  const orderButton = h('button', {
    type: 'button',
    class: 'btn primary block',
    testid: 'place-order',
  });
  const line = (koText, enText, amount, testid) =>
    h(
      'div',
      { class: 'row' },
      h('span', null, ko(koText, enText)),
      h('span', { class: 'price', testid }, amount),
    );
  const refresh = () => {
    let subtotal = 0;
    let count = 0;
    for (const item of menu) {
      const q = checkout.cart.get(item.menuId) ?? 0;
      subtotal += q * (Number(item.price) || 0);
      count += q;
    }
    const { deliveryFee, expressFee } = catalog.options;
    const fee = deliveryFee + (checkout.express ? expressFee : 0);
    const total = line('결제예정금액', 'Total', won(subtotal + fee), 'order-total');
    total.classList.add('total');
    summary.replaceChildren(
      line('주문금액', 'Subtotal', won(subtotal)),
      line('배달팁', 'Delivery fee', won(fee)),
      total,
    );
    orderButton.replaceChildren(
      count ? `${won(subtotal + fee)} 주문하기 ` : '메뉴를 골라주세요 ',
      h('span', { class: 'en inherit' }, count ? 'Order' : 'Pick something'),
    );
    orderButton.disabled = count === 0;
  };
  return { summary, orderButton, refresh };
}

function showCheckoutForm(storeId, store, menu, cart) {
  const { refresh } = cart;
  const picker = addressPicker(checkout, book, refresh);
  const express = h('input', { type: 'checkbox', testid: 'express', checked: checkout.express });
  const card = h('input', {
    testid: 'card-number',
    value: checkout.card,
    inputmode: 'numeric',
    autocomplete: 'cc-number',
  });
  const errorsBox = h('div', {
    class: 'form-errors',
    testid: 'form-errors',
    role: 'alert',
    hidden: true,
  });
  const expressLabel = h('span');
  const expressInfo = h('p', { class: 'express-info small', testid: 'express-info' });

  const sync = () => {
    checkout.address = { text: picker.addr.value, lat: picker.lat.value, lng: picker.lng.value };
    checkout.express = express.checked;
    checkout.card = card.value;
    picker.showCoords();
    refresh();
  };
  for (const input of [picker.addr, picker.lat, picker.lng, express, card])
    input.addEventListener('input', sync);
  express.addEventListener('change', sync);

  const { addr, lat, lng } = picker;
  const inputs = {
    '/payment/cardNumber': card,
    '/deliveryAddress/text': addr,
    '/deliveryAddress/lat': lat,
    '/deliveryAddress/lng': lng,
  };
  const fail = (err) => showErrors(errorsBox, err, inputs, picker.coordsBox);
  cart.orderButton.addEventListener('click', () => {
    errorsBox.hidden = true;
    for (const input of [card, addr, lat, lng]) input.removeAttribute('aria-invalid');
    busy(cart.orderButton, () => placeOrder(storeId, store, menu)).catch(fail);
  });

  app.append(
    h(
      'div',
      { class: 'card', testid: 'checkout' },
      h('h3', { class: 'mb-07' }, ko('배달 정보', 'Delivery')),
      ...picker.nodes(),
      h('label', { class: 'check' }, express, expressLabel),
      expressInfo,
      field('카드 번호', 'Card number', card),
      errorsBox,
      hrSep(),
      cart.summary,
      cart.orderButton,
    ),
  );
  picker.renderSaved();
  picker.renderDistricts();
  renderExpress(expressInfo, expressLabel);
  refresh();
}

/** What express promises and costs, as the server says (GET /api/delivery-options). */
function renderExpress(info, label) {
  const { deliveryFee, expressFee, expressEtaMinutes: eta } = catalog.options;
  info.replaceChildren(
    h(
      'span',
      null,
      `급송은 가게 가까이 있는 라이더만 배차되어, 라이더가 가게를 거쳐 도착하기까지 ${eta}분 이내인 경우에만 출발해요. ` +
        `배달팁 ${won(deliveryFee)}에 ${won(expressFee)}이 더해집니다.`,
    ),
    ' ',
    h(
      'span',
      { class: 'en' },
      `Express goes only to a rider whose whole trip, to the store and then to you, takes ${eta} minutes or less. ` +
        `It adds ${won(expressFee)} to the ${won(deliveryFee)} delivery fee.`,
    ),
  );
  label.replaceChildren(
    h('span', { class: 'badge express' }, '급송 Express'),
    ' +',
    won(expressFee),
    ' ',
    h('span', { class: 'en' }, `within ${eta} min`),
  );
}

/** The body of POST /api/orders: the fields sent as typed (what is wrong with them, the API says). */
function orderBody(storeId) {
  const items = [...checkout.cart]
    .filter(([, q]) => q > 0)
    .map(([menuId, quantity]) => ({ menuId, quantity }));
  const num = (v) =>
    v === '' || v == null ? null : Number.isFinite(Number(v)) ? Number(v) : String(v);
  const { text, lat, lng } = checkout.address;
  return {
    storeId,
    items,
    deliveryAddress: { text: String(text).trim(), lat: num(lat), lng: num(lng) },
    express: checkout.express,
    payment: { method: 'CARD', cardNumber: String(checkout.card).replace(/[\s-]/g, '') },
  };
}

async function placeOrder(storeId, store, menu) {
  const body = orderBody(storeId);
  if (!body.items.length) return toast('메뉴를 골라주세요 Pick at least one item');
  // the same order retried (network error, 503) keeps its key, so it is never charged twice
  const signature = JSON.stringify(body);
  if (checkout.keyFor !== signature) {
    checkout.key = uuid();
    checkout.keyFor = signature;
  }
  const headers = { 'Idempotency-Key': checkout.key };
  const res = await api('/api/orders', { method: 'POST', body, headers, quiet: true });
  book.keepLast(body.deliveryAddress);
  checkout.key = null;
  checkout.keyFor = null;
  checkout.cart = new Map();
  const byId = new Map(menu.map((m) => [m.menuId, m]));
  const dish = (i) => byId.get(i.menuId);
  openOrder.pendingView = {
    ...res,
    storeId,
    storeName: store?.name,
    storeNameKo: store?.nameKo,
    items: body.items.map((i) => ({
      ...i,
      name: dish(i)?.name,
      nameKo: dish(i)?.nameKo,
      price: dish(i)?.price,
    })),
    deliveryAddress: body.deliveryAddress,
    timeline: [{ status: res.status ?? 'PAID', at: res.createdAt }],
    updatedAt: res.createdAt,
  };
  remember({
    orderId: res.orderId,
    storeName: storeName(store) || storeId,
    total: res.total,
    createdAt: res.createdAt,
  });
  toast('주문이 완료되었습니다 Order placed', 'ok', 2500);
  go(`#/order/${encodeURIComponent(res.orderId)}`);
}
