// Customer page: stores -> menu -> checkout -> the order with its live status; my orders.
// Routes (hash, so nothing reloads): #/ stores, #/store/{id} menu, #/order/{id} order, #/orders my orders.
// A notification's link is customer.html#/order/{id}; the older ?order={id} form is taken too.

import { api } from './http.js';
import { guard } from './session.js';
import { busy, h } from './dom.js';
import { bilingual, toast } from './toast.js';
import { ko, STATUS_LABELS, statusBadge } from './labels.js';
import { fmtTime, shortId, won } from './format.js';
import { uuid } from './uuid.js';
import { topbar } from './topbar.js';
import { watchOrder } from './live.js';

// an old notification link (customer.html?order=<id>): the same page, routed on the fragment
const legacyOrder = new URLSearchParams(location.search).get('order');
if (legacyOrder)
  history.replaceState(null, '', `${location.pathname}#/order/${encodeURIComponent(legacyOrder)}`);

const me = guard('customer');
const app = document.getElementById('app');

const DEFAULT_ADDRESS = { text: '서울 강남구 테헤란로 152', lat: 37.5006, lng: 127.0364 };
const DEFAULT_CARD = '4242424242424242';
// what GET /api/delivery-options says; these are only shown until it has answered
const options = { deliveryFee: 2000, expressFee: 3000, expressEtaMinutes: 15 };
let districts = []; // GET /api/districts: [{nameKo, nameEn, lat, lng}]
const SAVED_KEY = `baedal.savedAddresses.${me?.subject ?? ''}`;
const LAST_KEY = `baedal.lastAddress.${me?.subject ?? ''}`;
const HAPPY_PATH = [
  'PAID',
  'ACCEPTED',
  'COOKING',
  'COOKED',
  'RIDER_ASSIGNED',
  'PICKED_UP',
  'DELIVERED',
  'COMPLETED',
];
const CHANGEABLE = ['PAID', 'ACCEPTED'];
const RECENT_KEY = 'baedal.recentOrders';

let stores = [];
const menus = new Map(); // storeId -> menu
let watcher = null; // the open order's live watch
let pendingView = null; // the answer of POST /api/orders, shown until the first live view
const checkout = {
  storeId: null,
  cart: new Map(), // menuId -> quantity
  address: lastAddress(),
  express: false,
  card: DEFAULT_CARD,
  key: null, // Idempotency-Key, kept while the same order is retried
  keyFor: null,
};

function go(hash) {
  if (location.hash === hash || (hash === '#/' && !location.hash)) route();
  else location.hash = hash;
}

function route() {
  watcher?.close();
  watcher = null;
  const [kind, id] = location.hash.replace(/^#\/?/, '').split('/');
  app.replaceChildren();
  window.scrollTo(0, 0);
  for (const b of document.querySelectorAll('nav.tabs button')) {
    const sel = (b.dataset.testid === 'nav-orders') === (kind === 'orders' || kind === 'order');
    b.setAttribute('aria-selected', String(sel));
  }
  if (kind === 'store' && id) return showMenu(decodeURIComponent(id));
  if (kind === 'order' && id) return showOrder(decodeURIComponent(id));
  if (kind === 'orders') return showOrders();
  return showStores();
}

const emptyNote = (koText, enText, testid) =>
  h('p', { class: 'empty', testid }, ko(koText, enText));

async function loadStores() {
  const data = await api('/api/stores');
  stores = Array.isArray(data) ? data : [];
  return stores;
}

async function loadMenu(storeId) {
  if (!menus.has(storeId)) {
    const data = await api(`/api/stores/${encodeURIComponent(storeId)}/menu`);
    menus.set(storeId, Array.isArray(data) ? data : []);
  }
  return menus.get(storeId);
}

const storeName = (s) => (s ? [s.nameKo, s.name].filter(Boolean).join(' ') : '');

/** A name in Korean with its English beside it, as the menu shows them: 한옥치킨 <en>Hanok Chicken</en>. */
function names(nameKo, name, fallback = '') {
  if (nameKo && name && nameKo !== name) return [nameKo, ' ', h('span', { class: 'en' }, name)];
  return [nameKo || name || fallback];
}

/** Loads the fees, the express promise and the districts once (they rarely change). */
let extrasLoaded = null;
function loadExtras() {
  extrasLoaded ??= Promise.all([
    api('/api/delivery-options', { quiet: true })
      .then((o) => Object.assign(options, o ?? {}))
      .catch(() => {}),
    api('/api/districts', { quiet: true })
      .then((d) => (districts = Array.isArray(d) ? d : []))
      .catch(() => {}),
  ]);
  return extrasLoaded;
}

// ---- addresses: saved in this browser, a district, or where the device is ----------------------

function readJson(key, fallback) {
  try {
    return JSON.parse(localStorage.getItem(key)) ?? fallback;
  } catch {
    return fallback;
  }
}

function validAddress(a) {
  return Boolean(
    a &&
    typeof a.text === 'string' &&
    a.text.trim() &&
    Number.isFinite(Number(a.lat)) &&
    Number.isFinite(Number(a.lng)),
  );
}

function lastAddress() {
  const last = readJson(LAST_KEY, null);
  return validAddress(last)
    ? { text: last.text, lat: Number(last.lat), lng: Number(last.lng) }
    : { ...DEFAULT_ADDRESS };
}

function savedAddresses() {
  const list = readJson(SAVED_KEY, []);
  return Array.isArray(list) ? list.filter(validAddress) : [];
}

function saveAddresses(list) {
  localStorage.setItem(SAVED_KEY, JSON.stringify(list.slice(0, 8)));
}

/** Great-circle distance in km (as the server measures it). */
function distanceKm(lat1, lng1, lat2, lng2) {
  const r = (d) => (d * Math.PI) / 180;
  const a =
    Math.sin(r(lat2 - lat1) / 2) ** 2 +
    Math.cos(r(lat1)) * Math.cos(r(lat2)) * Math.sin(r(lng2 - lng1) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)));
}

function nearestDistrict(lat, lng) {
  let best = null;
  for (const d of districts)
    if (!best || distanceKm(lat, lng, d.lat, d.lng) < distanceKm(lat, lng, best.lat, best.lng))
      best = d;
  return best;
}

// ---- stores ----------------------------------------------------------------------------------

async function showStores() {
  const list = h('div', { class: 'list', testid: 'store-list' });
  app.append(
    h(
      'div',
      { class: 'section-title' },
      h('h2', null, ko('어떤 음식을 드실래요?', 'What would you like?')),
    ),
    list,
  );
  try {
    await loadStores();
  } catch {
    list.append(emptyNote('가게를 불러오지 못했습니다', 'Could not load the stores'));
    return;
  }
  if (!stores.length) list.append(emptyNote('아직 가게가 없습니다', 'No stores yet'));
  for (const s of stores) {
    const open = s.open !== false;
    list.append(
      h(
        'a',
        {
          href: `#/store/${encodeURIComponent(s.storeId)}`,
          class: 'card store-card',
          testid: 'store-card',
          dataset: { storeId: s.storeId },
        },
        h(
          'div',
          { class: 'thumb', 'aria-hidden': 'true' },
          (s.nameKo || s.name || '?').slice(0, 1),
        ),
        h(
          'div',
          { style: 'flex:1' },
          h(
            'h3',
            null,
            s.nameKo || s.name,
            ' ',
            h('span', { class: 'en' }, s.nameKo ? s.name : ''),
          ),
          h('p', { class: 'muted small' }, s.storeId),
        ),
        open
          ? h('span', { class: 'badge' }, '영업중 Open')
          : h('span', { class: 'badge closed' }, '준비중 Closed'),
      ),
    );
  }
}

// ---- menu and checkout ------------------------------------------------------------------------

async function showMenu(storeId) {
  if (checkout.storeId !== storeId) {
    checkout.storeId = storeId;
    checkout.cart = new Map();
  }
  const header = h(
    'div',
    { class: 'card' },
    h(
      'button',
      { type: 'button', class: 'btn ghost small', onClick: () => go('#/') },
      '← 가게 목록 Stores',
    ),
  );
  const menuBox = h(
    'div',
    { class: 'card', testid: 'menu' },
    h('p', { class: 'muted' }, '불러오는 중… Loading…'),
  );
  app.append(header, menuBox);
  let menu;
  try {
    if (!stores.length) await loadStores();
    menu = await loadMenu(storeId);
  } catch {
    menuBox.replaceChildren(emptyNote('메뉴를 불러오지 못했습니다', 'Could not load the menu'));
    return;
  }
  const store = stores.find((s) => s.storeId === storeId);
  header.append(
    h(
      'div',
      { class: 'row', style: 'margin-top:0.4rem' },
      h(
        'h2',
        { testid: 'menu-store-name' },
        store?.nameKo || store?.name || storeId,
        ' ',
        h('span', { class: 'en' }, store?.nameKo ? store.name : ''),
      ),
      h('span', { class: 'spacer' }),
      store && store.open === false
        ? h('span', { class: 'badge closed' }, '준비중 Closed')
        : h('span', { class: 'badge' }, '영업중 Open'),
    ),
  );

  const summary = h('div', { class: 'summary', testid: 'order-summary' });
  const orderButton = h('button', {
    type: 'button',
    class: 'btn primary block',
    testid: 'place-order',
  });
  const refresh = () => {
    let subtotal = 0;
    let count = 0;
    for (const item of menu) {
      const q = checkout.cart.get(item.menuId) ?? 0;
      subtotal += q * (Number(item.price) || 0);
      count += q;
    }
    const fee = options.deliveryFee + (checkout.express ? options.expressFee : 0);
    summary.replaceChildren(
      h(
        'div',
        { class: 'row' },
        h('span', null, ko('주문금액', 'Subtotal')),
        h('span', { class: 'price' }, won(subtotal)),
      ),
      h(
        'div',
        { class: 'row' },
        h('span', null, ko('배달팁', 'Delivery fee')),
        h('span', { class: 'price' }, won(fee)),
      ),
      h(
        'div',
        { class: 'row total' },
        h('span', null, ko('결제예정금액', 'Total')),
        h('span', { class: 'price', testid: 'order-total' }, won(subtotal + fee)),
      ),
    );
    orderButton.replaceChildren(
      count ? `${won(subtotal + fee)} 주문하기 ` : '메뉴를 골라주세요 ',
      h('span', { class: 'en', style: 'color:inherit' }, count ? 'Order' : 'Pick something'),
    );
    orderButton.disabled = count === 0;
  };

  menuBox.replaceChildren(h('h3', null, ko('메뉴', 'Menu')));
  if (!menu.length) menuBox.append(emptyNote('메뉴가 없습니다', 'No menu items'));
  for (const item of menu) menuBox.append(menuRow(item, checkout.cart, refresh));

  const field = (labelKo, labelEn, input) =>
    h('label', { class: 'field' }, h('span', null, ko(labelKo, labelEn)), input);
  const addr = h('input', {
    testid: 'address',
    value: checkout.address.text,
    autocomplete: 'street-address',
  });
  const lat = h('input', {
    type: 'number',
    step: '0.0001',
    testid: 'address-lat',
    value: String(checkout.address.lat),
  });
  const lng = h('input', {
    type: 'number',
    step: '0.0001',
    testid: 'address-lng',
    value: String(checkout.address.lng),
  });
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
  const district = h('select', { testid: 'district-picker', 'aria-label': '지역 District' });
  const locate = h(
    'button',
    { type: 'button', class: 'btn', testid: 'use-location', hidden: !navigator.geolocation },
    ko('현재 위치', 'My location'),
  );
  const coords = h('p', { class: 'muted small', testid: 'address-coords' });
  const coordsBox = h(
    'details',
    { class: 'coords', testid: 'coords-details' },
    h('summary', null, ko('좌표 직접 입력', 'Enter coordinates')),
    h('div', { class: 'grid2' }, field('위도', 'Lat', lat), field('경도', 'Lng', lng)),
  );
  const saved = h('div', { class: 'chips', testid: 'saved-addresses' });
  const saveButton = h(
    'button',
    { type: 'button', class: 'btn small', testid: 'save-address' },
    ko('이 주소 저장', 'Save this address'),
  );
  const expressInfo = h('p', { class: 'express-info small', testid: 'express-info' });

  const showCoords = () => {
    const a = checkout.address;
    const d =
      Number.isFinite(Number(a.lat)) && districts.length
        ? nearestDistrict(Number(a.lat), Number(a.lng))
        : null;
    const place =
      Number.isFinite(Number(a.lat)) && Number.isFinite(Number(a.lng))
        ? `${Number(a.lat).toFixed(4)}, ${Number(a.lng).toFixed(4)}`
        : '—';
    coords.replaceChildren(
      ...ko('배달 위치', 'Deliver to'),
      ': ',
      ...(d ? [d.nameKo, ' ', h('span', { class: 'en' }, d.nameEn), ' · '] : []),
      place,
    );
    if (d && district.value !== d.nameEn) district.value = d.nameEn;
  };
  /** Takes an address from a picker: the text (unless the person typed one of their own) and the place. */
  const useAddress = (a, { keepText = false } = {}) => {
    checkout.address = {
      text: keepText ? addr.value : a.text,
      lat: Number(a.lat),
      lng: Number(a.lng),
    };
    if (!keepText) addr.value = a.text;
    lat.value = Number(a.lat).toFixed(4);
    lng.value = Number(a.lng).toFixed(4);
    showCoords();
    refresh();
  };
  const renderSaved = () => {
    const list = savedAddresses();
    saved.replaceChildren(
      ...list.map((a, i) =>
        h(
          'span',
          { class: 'chip saved', testid: 'saved-address' },
          h('button', { type: 'button', class: 'chip-main', onClick: () => useAddress(a) }, a.text),
          h(
            'button',
            {
              type: 'button',
              class: 'chip-x',
              'aria-label': `${a.text} 삭제 Remove`,
              onClick: () => (saveAddresses(list.filter((_, j) => j !== i)), renderSaved()),
            },
            '×',
          ),
        ),
      ),
    );
  };
  const renderDistricts = () => {
    district.replaceChildren(
      h('option', { value: '' }, '지역 선택 Choose a district'),
      ...districts.map((d) => h('option', { value: d.nameEn }, `${d.nameKo} ${d.nameEn}`)),
    );
    showCoords();
  };
  district.addEventListener('change', () => {
    const d = districts.find((x) => x.nameEn === district.value);
    if (d)
      useAddress(
        { text: `서울 ${d.nameKo}`, lat: d.lat, lng: d.lng },
        { keepText: addr.dataset.typed === 'true' },
      );
  });
  locate.addEventListener('click', () => {
    locate.disabled = true;
    navigator.geolocation.getCurrentPosition(
      (p) => {
        locate.disabled = false;
        const d = nearestDistrict(p.coords.latitude, p.coords.longitude);
        useAddress(
          {
            text: d ? `서울 ${d.nameKo} (현재 위치)` : '현재 위치',
            lat: p.coords.latitude,
            lng: p.coords.longitude,
          },
          { keepText: addr.dataset.typed === 'true' },
        );
        toast('현재 위치를 배달 위치로 정했습니다 Using your current location', 'ok', 2500);
      },
      (err) => {
        locate.disabled = false;
        toast(
          bilingual([
            { ko: '현재 위치를 알 수 없습니다', en: `Cannot get your location: ${err.message}` },
          ]),
        );
      },
      { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 },
    );
  });
  saveButton.addEventListener('click', () => {
    const a = { text: addr.value.trim(), lat: Number(lat.value), lng: Number(lng.value) };
    if (!validAddress(a))
      return toast(
        bilingual([
          { ko: '주소와 위치를 먼저 정해 주세요', en: 'Choose an address and a place first' },
        ]),
      );
    saveAddresses([a, ...savedAddresses().filter((x) => x.text !== a.text)]);
    renderSaved();
    toast('주소를 저장했습니다 Address saved', 'ok', 2000);
  });

  const sync = () => {
    checkout.address = { text: addr.value, lat: lat.value, lng: lng.value };
    checkout.express = express.checked;
    checkout.card = card.value;
    showCoords();
    refresh();
  };
  addr.addEventListener('input', () => (addr.dataset.typed = 'true'));
  for (const input of [addr, lat, lng, express, card]) input.addEventListener('input', sync);
  express.addEventListener('change', sync);

  const fail = (err) =>
    showErrors(
      errorsBox,
      err,
      {
        '/payment/cardNumber': card,
        '/deliveryAddress/text': addr,
        '/deliveryAddress/lat': lat,
        '/deliveryAddress/lng': lng,
      },
      coordsBox,
    );
  orderButton.addEventListener('click', () => {
    errorsBox.hidden = true;
    for (const input of [card, addr, lat, lng]) input.removeAttribute('aria-invalid');
    busy(orderButton, () => placeOrder(storeId, store, menu)).catch(fail);
  });

  const renderExpress = () => {
    expressInfo.replaceChildren(
      h(
        'span',
        null,
        `급송은 가게 가까이 있는 라이더만 배차되어, 라이더가 가게를 거쳐 도착하기까지 ${options.expressEtaMinutes}분 이내인 경우에만 출발해요. 배달팁 ${won(options.deliveryFee)}에 ${won(options.expressFee)}이 더해집니다.`,
      ),
      ' ',
      h(
        'span',
        { class: 'en' },
        `Express goes only to a rider whose whole trip, to the store and then to you, takes ${options.expressEtaMinutes} minutes or less. It adds ${won(options.expressFee)} to the ${won(options.deliveryFee)} delivery fee.`,
      ),
    );
    expressLabel.replaceChildren(
      h('span', { class: 'badge express' }, '급송 Express'),
      ' +',
      won(options.expressFee),
      ' ',
      h('span', { class: 'en' }, `within ${options.expressEtaMinutes} min`),
    );
    refresh();
  };
  const expressLabel = h('span');

  app.append(
    h(
      'div',
      { class: 'card', testid: 'checkout' },
      h('h3', { style: 'margin-bottom:0.7rem' }, ko('배달 정보', 'Delivery')),
      field('배달 주소', 'Address', addr),
      h('div', { class: 'address-tools' }, district, locate),
      h('div', { class: 'saved-row' }, saved, saveButton),
      coords,
      coordsBox,
      h('label', { class: 'check' }, express, expressLabel),
      expressInfo,
      field('카드 번호', 'Card number', card),
      errorsBox,
      hrSep(),
      summary,
      orderButton,
    ),
  );
  renderSaved();
  renderDistricts();
  renderExpress();
  loadExtras().then(() => {
    if (!district.isConnected) return;
    renderDistricts();
    renderExpress();
  });
  refresh();
}

const hrSep = () => h('hr', { class: 'sep' });

/**
 * Shows a refused request under the form: each violation in Korean and English, and marks the
 * inputs it names (`inputs`: JSON Pointer -> input). Problems without `errors` show their detail.
 */
function showErrors(box, err, inputs = {}, reveal = null) {
  const messages = err?.messages ?? [
    { ko: '요청을 처리하지 못했습니다', en: String(err?.message ?? err) },
  ];
  box.replaceChildren(
    h('p', { class: 'form-errors-title' }, ko('주문하지 못했습니다', 'The order was not placed')),
    h(
      'ul',
      null,
      messages.map((m) =>
        h(
          'li',
          {
            testid: 'form-error',
            dataset: { where: m.where ? `${m.where.kind}:${m.where.name}` : '' },
          },
          h('span', { class: 'ko' }, m.ko),
          h('span', { class: 'en' }, m.en),
        ),
      ),
    ),
  );
  box.hidden = false;
  for (const m of messages) {
    const input = m.where?.kind === 'pointer' ? inputs[m.where.name] : null;
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      if (reveal && reveal.contains(input)) reveal.open = true;
    }
  }
  box.scrollIntoView({ block: 'nearest' });
}

function menuRow(item, cart, onChange) {
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
      h('div', { style: 'font-weight:700' }, item.nameKo || item.name),
      h('div', { class: 'en' }, item.nameKo ? item.name : ''),
      h('div', { class: 'price', testid: 'menu-price' }, won(item.price)),
    ),
    h('div', { class: 'stepper' }, minus, out, plus),
  );
}

async function placeOrder(storeId, store, menu) {
  const items = [...checkout.cart]
    .filter(([, q]) => q > 0)
    .map(([menuId, quantity]) => ({ menuId, quantity }));
  // sent as typed: what is wrong with them, the API says (and the form shows)
  const num = (v) =>
    v === '' || v == null ? null : Number.isFinite(Number(v)) ? Number(v) : String(v);
  if (!items.length) return toast('메뉴를 골라주세요 Pick at least one item');
  const body = {
    storeId,
    items,
    deliveryAddress: {
      text: String(checkout.address.text).trim(),
      lat: num(checkout.address.lat),
      lng: num(checkout.address.lng),
    },
    express: checkout.express,
    payment: { method: 'CARD', cardNumber: String(checkout.card).replace(/[\s-]/g, '') },
  };
  // the same order retried (network error, 503) keeps its key, so it is never charged twice
  const signature = JSON.stringify(body);
  if (checkout.keyFor !== signature) {
    checkout.key = uuid();
    checkout.keyFor = signature;
  }
  const res = await api('/api/orders', {
    method: 'POST',
    body,
    headers: { 'Idempotency-Key': checkout.key },
    quiet: true,
  });
  localStorage.setItem(LAST_KEY, JSON.stringify(body.deliveryAddress));
  checkout.key = null;
  checkout.keyFor = null;
  checkout.cart = new Map();
  const byId = new Map(menu.map((m) => [m.menuId, m]));
  pendingView = {
    ...res,
    storeId,
    storeName: store?.name,
    storeNameKo: store?.nameKo,
    items: items.map((i) => ({
      ...i,
      name: byId.get(i.menuId)?.name,
      nameKo: byId.get(i.menuId)?.nameKo,
      price: byId.get(i.menuId)?.price,
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

function remember(order) {
  let recent = [];
  try {
    recent = JSON.parse(sessionStorage.getItem(RECENT_KEY)) ?? [];
  } catch {
    /* start over */
  }
  recent = [order, ...recent.filter((o) => o.orderId !== order.orderId)].slice(0, 20);
  sessionStorage.setItem(RECENT_KEY, JSON.stringify(recent));
}

// ---- one order, live --------------------------------------------------------------------------

/** Timeline entries that are not a change of status. */
const EVENT_LABELS = {
  ITEMS_CHANGED: ['메뉴 변경됨', 'Items changed'],
  CANCEL_REFUSED: ['취소 거절됨', 'Cancel refused'],
};

/** The Korean name of a store from the catalogue, for views of orders placed before they had it. */
const storeKo = (storeId) => stores.find((s) => s.storeId === storeId)?.nameKo;

const LIVE_TEXT = {
  connecting: ['연결 중…', 'Connecting…'],
  live: ['실시간 연결됨', 'Live'],
  offline: ['연결 끊김, 재시도 중', 'Offline, retrying'],
};

async function showOrder(orderId) {
  const statusEl = h(
    'span',
    { class: 'status', testid: 'order-status', role: 'status', 'aria-live': 'polite' },
    '…',
  );
  const liveEl = h('div', { class: 'live', testid: 'live-mode' }, ko(...LIVE_TEXT.connecting));
  const storeEl = h('h2', { testid: 'order-store' });
  const progress = h(
    'div',
    { class: 'progress', 'aria-hidden': 'true' },
    HAPPY_PATH.map(() => h('span')),
  );
  const notices = h('div', { testid: 'order-notices' });
  const timeline = h('ol', { class: 'timeline', testid: 'timeline' });
  const details = h('div', { testid: 'order-details' });
  const notifications = h('div', { class: 'card', testid: 'order-notifications', hidden: true });
  const actions = h('div', { class: 'actions', testid: 'order-actions' });
  const actionsCard = h(
    'div',
    { class: 'card', hidden: true },
    h('h3', null, ko('주문 관리', 'Manage order')),
    actions,
  );
  const editor = h('div', { class: 'card', testid: 'modify-editor', hidden: true });
  const view = h(
    'section',
    { testid: 'order-view', dataset: { orderId } },
    h(
      'div',
      { class: 'card status-hero' },
      storeEl,
      h('p', { class: 'muted small mono', testid: 'order-id' }, `#${shortId(orderId)}`),
      h('div', { style: 'margin-top:0.6rem' }, statusEl),
      h('div', null, liveEl),
      progress,
    ),
    notices,
    actionsCard,
    editor,
    h(
      'div',
      { class: 'card' },
      h('h3', { style: 'margin-bottom:0.7rem' }, ko('진행 상황', 'Timeline')),
      timeline,
    ),
    h(
      'div',
      { class: 'card' },
      h('h3', { style: 'margin-bottom:0.5rem' }, ko('주문 내역', 'Order details')),
      details,
    ),
    notifications,
  );
  app.append(view);

  const seen = [];
  let current = null;
  let actionsFor = null;

  const render = (v) => {
    current = v;
    const status = typeof v.status === 'string' ? v.status : null;
    if (status && seen[seen.length - 1] !== status) seen.push(status);
    view.dataset.status = status ?? '';
    statusEl.dataset.status = status ?? '';
    statusEl.dataset.seen = seen.join(' ');
    const label = STATUS_LABELS[status];
    statusEl.replaceChildren(...(label ? ko(label[0], label[1]) : [status ?? '—']));
    storeEl.replaceChildren(
      ...names(v.storeNameKo ?? storeKo(v.storeId), v.storeName, v.storeId || ' '),
    );

    const steps = Array.isArray(v.timeline)
      ? v.timeline.filter((t) => t && typeof t.status === 'string')
      : [];
    const reached = new Set(steps.map((t) => t.status));
    const at = HAPPY_PATH.indexOf(status);
    [...progress.children].forEach((bar, i) =>
      bar.classList.toggle('done', reached.has(HAPPY_PATH[i]) || (at >= 0 && i <= at)),
    );
    const shown = steps.length ? steps : status ? [{ status, at: v.updatedAt }] : [];
    timeline.replaceChildren(
      ...shown.map((t) =>
        t.event
          ? // a change that left the status as it was: a change of items, a refused cancel
            h(
              'li',
              {
                class: 'change',
                testid: 'timeline-change',
                dataset: { event: t.event, status: t.status },
              },
              EVENT_LABELS[t.event] ? ko(...EVENT_LABELS[t.event]) : t.event,
              t.at ? h('time', { datetime: t.at }, fmtTime(t.at)) : null,
            )
          : h(
              'li',
              { testid: 'timeline-step', dataset: { status: t.status } },
              STATUS_LABELS[t.status] ? ko(...STATUS_LABELS[t.status]) : t.status,
              t.at ? h('time', { datetime: t.at }, fmtTime(t.at)) : null,
            ),
      ),
    );

    notices.replaceChildren(
      ...[
        v.cancelRefusedReason &&
          h(
            'div',
            { class: 'notice', testid: 'cancel-refused' },
            ko('취소가 거절되었습니다', 'Cancel refused'),
            ': ',
            String(v.cancelRefusedReason),
          ),
        v.rejectReason &&
          h(
            'div',
            { class: 'notice bad', testid: 'reject-reason' },
            ko('가게가 주문을 거절했습니다', 'The store rejected the order'),
            ': ',
            String(v.rejectReason),
          ),
        v.modificationRefusedReason &&
          h(
            'div',
            { class: 'notice', testid: 'modify-refused' },
            ko('주문 변경이 거절되었습니다', 'Change refused'),
            ': ',
            String(v.modificationRefusedReason),
          ),
        v.pendingModification &&
          h(
            'div',
            { class: 'notice', testid: 'modify-pending' },
            ko('가게에서 변경을 확인하고 있습니다', 'The store is checking your change'),
          ),
        status === 'CANCELLED' &&
          h(
            'div',
            { class: 'notice bad' },
            ko(
              '주문이 취소되었고 결제가 환불됩니다',
              'The order was cancelled and the payment is refunded',
            ),
          ),
      ].filter(Boolean),
    );

    renderDetails(details, v);
    renderNotifications(notifications, v.notifications);

    const allowed = [
      CHANGEABLE.includes(status) ? 'change' : null,
      status === 'DELIVERED' ? 'confirm' : null,
      ['COMPLETED', 'CANCELLED', 'REJECTED'].includes(status) ? 'again' : null,
    ]
      .filter(Boolean)
      .join(',');
    if (allowed !== actionsFor) {
      actionsFor = allowed;
      renderActions(allowed);
      if (!allowed.includes('change')) editor.hidden = true;
    }
  };

  const renderActions = (allowed) => {
    actions.replaceChildren();
    if (allowed.includes('confirm')) {
      const b = h(
        'button',
        { type: 'button', class: 'btn primary block', testid: 'confirm-order' },
        ko('수령 확인', 'Confirm receipt'),
      );
      b.addEventListener('click', () =>
        busy(b, async () => {
          await api(`/api/orders/${encodeURIComponent(orderId)}/confirm`, { method: 'POST' });
          toast('맛있게 드세요! Enjoy your meal!', 'ok', 3000);
        }).catch(() => {}),
      );
      actions.append(b);
    }
    if (allowed.includes('change')) {
      const modify = h(
        'button',
        { type: 'button', class: 'btn', testid: 'modify-order' },
        ko('메뉴 변경', 'Change items'),
      );
      modify.addEventListener('click', () => openEditor(editor, orderId, current).catch(() => {}));
      const cancel = h(
        'button',
        { type: 'button', class: 'btn danger', testid: 'cancel-order' },
        ko('주문 취소', 'Cancel order'),
      );
      let armed = null;
      cancel.addEventListener('click', () => {
        if (!armed) {
          // two taps, no dialog: the first one asks
          cancel.classList.add('solid');
          cancel.replaceChildren(...ko('한 번 더 누르면 취소됩니다', 'Tap again to cancel'));
          armed = setTimeout(() => {
            armed = null;
            cancel.classList.remove('solid');
            cancel.replaceChildren(...ko('주문 취소', 'Cancel order'));
          }, 4000);
          return;
        }
        clearTimeout(armed);
        armed = null;
        busy(cancel, async () => {
          await api(`/api/orders/${encodeURIComponent(orderId)}/cancel`, { method: 'POST' });
          toast('취소를 요청했습니다 Cancel requested', 'ok', 3000);
        }).catch(() => {});
      });
      actions.append(modify, cancel);
    }
    if (allowed.includes('again') && current?.storeId) {
      actions.append(
        h(
          'button',
          {
            type: 'button',
            class: 'btn',
            testid: 'order-again',
            onClick: () => go(`#/store/${encodeURIComponent(current.storeId)}`),
          },
          ko('다시 주문하기', 'Order again'),
        ),
      );
    }
    actionsCard.hidden = actions.children.length === 0;
  };

  loadExtras();
  let initial = pendingView && pendingView.orderId === orderId ? pendingView : null;
  pendingView = null;
  // the API reads its writes: an order it answered 201 for is found at once
  if (!initial) {
    try {
      initial = await api(`/api/orders/${encodeURIComponent(orderId)}`, { quiet: true });
    } catch (e) {
      if (e.status === 404 || e.status === 403) {
        view.replaceChildren(
          h(
            'div',
            { class: 'card' },
            emptyNote('주문을 찾을 수 없습니다', 'No such order', 'order-not-found'),
            h(
              'button',
              { type: 'button', class: 'btn block', onClick: () => go('#/orders') },
              '내 주문 My orders',
            ),
          ),
        );
        return;
      }
      // anything else (offline, restarting): the live watch below keeps trying
    }
  }
  if (!view.isConnected) return; // navigated away meanwhile
  if (initial) render(initial);
  watcher = watchOrder(orderId, {
    onView: render,
    onMode: (m) => {
      liveEl.dataset.mode = m;
      liveEl.replaceChildren(...ko(...(LIVE_TEXT[m] ?? [m, m])));
    },
  });
}

function renderDetails(box, v) {
  const items = Array.isArray(v.items) ? v.items : [];
  const menu = menus.get(v.storeId) ?? [];
  const ko_ = (i) => i.nameKo ?? menu.find((m) => m.menuId === i.menuId)?.nameKo;
  const subtotal =
    v.subtotal ?? items.reduce((s, i) => s + (Number(i.price) || 0) * (Number(i.quantity) || 0), 0);
  const pay = v.payment && typeof v.payment === 'object' ? v.payment : null;
  box.replaceChildren(
    h(
      'div',
      { testid: 'order-items' },
      items.map((i) =>
        h(
          'div',
          { class: 'row', style: 'padding:0.25rem 0', testid: 'order-item' },
          h('span', null, ...names(ko_(i), i.name, i.menuId), ' × ', String(i.quantity ?? '?')),
          h('span', { class: 'spacer' }),
          h(
            'span',
            { class: 'price' },
            i.price != null ? won(Number(i.price) * (Number(i.quantity) || 0)) : '',
          ),
        ),
      ),
    ),
    hrSep(),
    h(
      'div',
      { class: 'summary' },
      h(
        'div',
        { class: 'row' },
        h('span', null, ko('주문금액', 'Subtotal')),
        h('span', { class: 'price' }, won(subtotal)),
      ),
      h(
        'div',
        { class: 'row' },
        h(
          'span',
          null,
          ko('배달팁', 'Delivery fee'),
          ' ',
          v.express
            ? h('span', { class: 'badge express', testid: 'order-express' }, '급송 Express')
            : null,
        ),
        h('span', { class: 'price' }, won(v.deliveryFee)),
      ),
      h(
        'div',
        { class: 'row total' },
        h('span', null, ko('결제금액', 'Total')),
        h('span', { class: 'price', testid: 'order-total-paid' }, won(v.total)),
      ),
    ),
    v.express
      ? h(
          'p',
          { class: 'express-info small', testid: 'order-express-promise' },
          `급송: 가게를 거쳐 도착하기까지 ${options.expressEtaMinutes}분 이내인 라이더만 이 주문을 받을 수 있어요. `,
          h(
            'span',
            { class: 'en' },
            `Express: only a rider whose whole trip takes ${options.expressEtaMinutes} minutes or less can take this order.`,
          ),
        )
      : null,
    h(
      'dl',
      { class: 'kv' },
      v.deliveryAddress?.text
        ? [h('dt', null, '주소 Address'), h('dd', null, v.deliveryAddress.text)]
        : null,
      [h('dt', null, '라이더 Rider'), h('dd', { testid: 'order-rider' }, v.riderId || '—')],
      pay
        ? [
            h('dt', null, '결제 Payment'),
            h(
              'dd',
              { testid: 'order-payment' },
              [
                pay.status,
                pay.amount != null ? won(pay.amount) : null,
                Number(pay.refunded) > 0 ? `환불 Refunded ${won(pay.refunded)}` : null,
              ]
                .filter(Boolean)
                .join(' · '),
            ),
          ]
        : null,
      v.createdAt ? [h('dt', null, '주문시각 Placed'), h('dd', null, fmtTime(v.createdAt))] : null,
    ),
  );
}

const NOTICE_STATUS = {
  requested: ['보내는 중', 'sending'],
  sent: ['보냄', 'sent'],
  failed: ['보내지 못함', 'failed'],
};

/** The messages the customer received (KakaoTalk style): the text itself, in Korean and English. */
function renderNotifications(box, list) {
  const items = Array.isArray(list) ? list : [];
  box.hidden = items.length === 0;
  box.replaceChildren(
    h('h3', { style: 'margin-bottom:0.5rem' }, ko('받은 알림', 'Messages you received')),
    h(
      'ul',
      { class: 'notices' },
      items.map((n) =>
        h(
          'li',
          {
            class: 'notice-msg',
            testid: 'notification',
            dataset: { type: n?.type ?? '', status: n?.status ?? '' },
          },
          n?.textKo ? h('p', { class: 'text', testid: 'notification-text' }, n.textKo) : null,
          n?.textEn ? h('p', { class: 'text en', testid: 'notification-text-en' }, n.textEn) : null,
          !n?.textKo && !n?.textEn ? h('p', { class: 'text' }, ko('알림', 'Notification')) : null,
          h(
            'p',
            { class: 'meta muted small' },
            '카카오톡 KakaoTalk · ',
            ...(NOTICE_STATUS[n?.status] ? ko(...NOTICE_STATUS[n.status]) : [n?.status ?? '']),
            n?.at ? h('time', { datetime: n.at }, ' · ', fmtTime(n.at)) : null,
          ),
        ),
      ),
    ),
  );
}

async function openEditor(editor, orderId, v) {
  if (!v?.storeId) return;
  const menu = await loadMenu(v.storeId);
  const cart = new Map();
  for (const i of Array.isArray(v.items) ? v.items : [])
    if (i?.menuId) cart.set(i.menuId, Number(i.quantity) || 0);
  const submit = h(
    'button',
    { type: 'button', class: 'btn primary', testid: 'modify-submit' },
    ko('변경 요청', 'Request change'),
  );
  const refresh = () => {
    submit.disabled = ![...cart.values()].some((q) => q > 0);
  };
  submit.addEventListener('click', () =>
    busy(submit, async () => {
      const items = [...cart]
        .filter(([, q]) => q > 0)
        .map(([menuId, quantity]) => ({ menuId, quantity }));
      await api(`/api/orders/${encodeURIComponent(orderId)}`, { method: 'PATCH', body: { items } });
      toast('변경을 요청했습니다 Change requested', 'ok', 3000);
      editor.hidden = true;
    }).catch(() => {}),
  );
  editor.replaceChildren(
    h('h3', null, ko('메뉴 변경', 'Change items')),
    h(
      'p',
      { class: 'muted small' },
      ko(
        '조리 시작 전까지 변경할 수 있어요. 차액은 결제 또는 환불됩니다.',
        'Possible until cooking starts; the difference is charged or refunded.',
      ),
    ),
    ...menu.map((item) => menuRow(item, cart, refresh)),
    h(
      'div',
      { class: 'actions' },
      submit,
      h(
        'button',
        { type: 'button', class: 'btn', onClick: () => (editor.hidden = true) },
        '닫기 Close',
      ),
    ),
  );
  refresh();
  editor.hidden = false;
  editor.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

// ---- my orders --------------------------------------------------------------------------------

async function showOrders() {
  const list = h('div', { class: 'list', testid: 'my-orders' });
  app.append(h('div', { class: 'section-title' }, h('h2', null, ko('내 주문', 'My orders'))), list);
  let orders = null;
  if (!stores.length) await loadStores().catch(() => {});
  try {
    const data = await api('/api/orders', { quiet: true });
    orders = Array.isArray(data)
      ? data
      : Array.isArray(data?.orders)
        ? data.orders
        : Array.isArray(data?.items)
          ? data.items
          : [];
  } catch (e) {
    if (e.status !== 404 && e.status !== 405) toast(e.message);
  }
  if (orders) {
    if (!orders.length)
      list.append(emptyNote('아직 주문이 없습니다', 'No orders yet', 'no-orders'));
    for (const o of orders) list.append(orderRow(o));
    return;
  }
  list.append(
    h(
      'p',
      { class: 'notice', testid: 'orders-unavailable' },
      ko(
        '주문 내역을 아직 불러올 수 없어 이 브라우저에서 한 주문만 보여드려요',
        'Order history is not available yet; showing the orders placed in this browser',
      ),
    ),
  );
  let recent = [];
  try {
    recent = JSON.parse(sessionStorage.getItem(RECENT_KEY)) ?? [];
  } catch {
    /* none */
  }
  if (!recent.length) list.append(emptyNote('아직 주문이 없습니다', 'No orders yet', 'no-orders'));
  for (const o of recent) list.append(orderRow(o));
}

function orderRow(o) {
  const items = Array.isArray(o.items) ? o.items : [];
  return h(
    'a',
    {
      href: `#/order/${encodeURIComponent(o.orderId)}`,
      class: 'card store-card',
      testid: 'my-order',
      dataset: { orderId: o.orderId, status: o.status },
    },
    h(
      'div',
      { style: 'flex:1' },
      h(
        'div',
        { class: 'row wrap' },
        h(
          'h3',
          { testid: 'my-order-store' },
          ...names(o.storeNameKo ?? storeKo(o.storeId), o.storeName, o.storeId || '주문 Order'),
        ),
        o.status ? statusBadge(o.status) : null,
        o.express ? h('span', { class: 'badge express' }, '급송 Express') : null,
      ),
      h(
        'p',
        { class: 'muted small', testid: 'my-order-items' },
        `#${shortId(o.orderId)} · ${fmtTime(o.createdAt ?? o.updatedAt)}`,
        items.length
          ? ` · ${items.map((i) => `${[i.nameKo, i.name].filter(Boolean).join(' ') || i.menuId} × ${i.quantity}`).join(', ')}`
          : '',
      ),
    ),
    h('span', { class: 'price' }, won(o.total)),
  );
}

// start once every declaration above is initialised
if (me) {
  topbar(me, '주문 Order');
  const nav = h(
    'nav',
    { class: 'tabs', style: 'max-width:760px;margin:0.8rem auto 0;padding:0 0.85rem' },
    h('button', { type: 'button', testid: 'nav-stores', onClick: () => go('#/') }, '가게 Stores'),
    h(
      'button',
      { type: 'button', testid: 'nav-orders', onClick: () => go('#/orders') },
      '내 주문 My orders',
    ),
  );
  app.before(nav);
  window.addEventListener('hashchange', route);
  route();
}
