// Customer page: stores -> menu -> checkout -> the order with its live status; my orders.
// Routes (hash, so nothing reloads): #/ stores, #/store/{id} menu, #/order/{id} order, #/orders my orders.
// A notification's link is customer.html#/order/{id}; the older ?order={id} form is taken too.
// The views live in checkout.js, order-view.js and my-orders.js; what they share in customer-shared.js.

import { initCheckout, showMenu } from './checkout.js';
import { app, catalog, emptyNote, go, loadStores, openOrder, setRoute } from './customer-shared.js';
import { h } from './dom.js';
import { ko } from './labels.js';
import { showOrders } from './my-orders.js';
import { showOrder } from './order-view.js';
import { guard } from './session.js';
import { topbar } from './topbar.js';

// an old notification link (customer.html?order=<id>): the same page, routed on the fragment
const legacyOrder = new URLSearchParams(location.search).get('order');
if (legacyOrder) {
  history.replaceState(null, '', `${location.pathname}#/order/${encodeURIComponent(legacyOrder)}`);
}

const me = guard('customer');

function route() {
  openOrder.watcher?.close();
  openOrder.watcher = null;
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

async function showStores() {
  const list = h('div', { class: 'list', testid: 'store-list' });
  const title = h('h2', null, ko('어떤 음식을 드실래요?', 'What would you like?'));
  app.append(h('div', { class: 'section-title' }, title), list);
  try {
    await loadStores();
  } catch {
    list.append(emptyNote('가게를 불러오지 못했습니다', 'Could not load the stores'));
    return;
  }
  if (!catalog.stores.length) list.append(emptyNote('아직 가게가 없습니다', 'No stores yet'));
  for (const s of catalog.stores) list.append(storeCard(s));
}

function storeCard(s) {
  const open = s.open !== false;
  return h(
    'a',
    {
      href: `#/store/${encodeURIComponent(s.storeId)}`,
      class: 'card store-card',
      testid: 'store-card',
      dataset: { storeId: s.storeId },
    },
    h('div', { class: 'thumb', 'aria-hidden': 'true' }, (s.nameKo || s.name || '?').slice(0, 1)),
    h(
      'div',
      { class: 'grow' },
      h('h3', null, s.nameKo || s.name, ' ', h('span', { class: 'en' }, s.nameKo ? s.name : '')),
      h('p', { class: 'muted small' }, s.storeId),
    ),
    open
      ? h('span', { class: 'badge' }, '영업중 Open')
      : h('span', { class: 'badge closed' }, '준비중 Closed'),
  );
}

if (me) {
  initCheckout(me.subject ?? '');
  setRoute(route);
  topbar(me, '주문 Order');
  const nav = h(
    'nav',
    { class: 'tabs page-nav' },
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
