// The customer's orders: GET /api/orders, or, while the API cannot list them, the orders placed in
// this browser (sessionStorage).

import { app, emptyNote, loadStores, catalog, names, storeKo } from './customer-shared.js';
import { h } from './dom.js';
import { fmtTime, shortId, won } from './format.js';
import { api } from './http.js';
import { ko, statusBadge } from './labels.js';
import { toast } from './toast.js';

const RECENT_KEY = 'baedal.recentOrders';

function recentOrders() {
  try {
    return JSON.parse(sessionStorage.getItem(RECENT_KEY)) ?? [];
  } catch {
    return []; // none, or start over
  }
}

/** Keeps an order placed in this browser, newest first. */
export function remember(order) {
  const recent = [order, ...recentOrders().filter((o) => o.orderId !== order.orderId)].slice(0, 20);
  sessionStorage.setItem(RECENT_KEY, JSON.stringify(recent));
}

export async function showOrders() {
  const list = h('div', { class: 'list', testid: 'my-orders' });
  app.append(h('div', { class: 'section-title' }, h('h2', null, ko('내 주문', 'My orders'))), list);
  let orders = null;
  if (!catalog.stores.length) await loadStores().catch(() => {});
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
  if (!orders) {
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
    orders = recentOrders();
  }
  if (!orders.length) list.append(emptyNote('아직 주문이 없습니다', 'No orders yet', 'no-orders'));
  for (const o of orders) list.append(orderRow(o));
}

function orderRow(o) {
  const items = Array.isArray(o.items) ? o.items : [];
  const item = (i) => `${[i.nameKo, i.name].filter(Boolean).join(' ') || i.menuId} × ${i.quantity}`;
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
      { class: 'grow' },
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
        items.length ? ` · ${items.map(item).join(', ')}` : '',
      ),
    ),
    h('span', { class: 'price' }, won(o.total)),
  );
}
