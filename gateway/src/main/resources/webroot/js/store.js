// Store owner page: the store's orders, live over /ws/store (new orders and every change are pushed);
// accept / reject / cook; open or close. The orders already done are read once, at load.

import { busy, h, syncList } from './dom.js';
import { api } from './http.js';
import { ko } from './labels.js';
import { guard } from './session.js';
import { liveSocket } from './socket.js';
import { isRejecting, orderCard } from './store-cards.js';
import { toast } from './toast.js';
import { topbar } from './topbar.js';

const me = guard('store');
const app = document.getElementById('app');

const ACTIVE = ['NEW', 'ACCEPTED', 'COOKING', 'COOKED'];
const TABS = [
  { id: 'all', ko: '전체', en: 'All', match: () => true },
  { id: 'active', ko: '진행중', en: 'In progress', match: (s) => ACTIVE.includes(s) },
  { id: 'done', ko: '완료', en: 'Done', match: (s) => !ACTIVE.includes(s) },
];

const byId = new Map(); // orderId -> the newest state of the order seen
let orders = [];
let tab = 'all';
const rejecting = new Map(); // orderId -> reason being typed
const koNames = new Map(); // menuId -> Korean name, from the store's own menu
const LIVE = {
  connecting: ['연결 중…', 'Connecting…'],
  live: ['실시간 연결됨', 'Live'],
  offline: ['연결 끊김, 재시도 중', 'Offline, retrying'],
};
let el = null; // the page's parts (skeleton())
// what the cards need of the page (store-cards.js)
const cards = { act, rejecting, koNames, render };

if (me) {
  topbar(me, '사장님 Store');
  main();
}

function main() {
  el = skeleton();
  loadStore();
  el.openSwitch.addEventListener('click', () => toggleOpen().catch(() => {}));
  api(`/api/stores/${encodeURIComponent(me.subject)}/menu`, { quiet: true })
    .then((menu) => {
      for (const m of Array.isArray(menu) ? menu : [])
        if (m?.menuId && m.nameKo) koNames.set(m.menuId, m.nameKo);
      render();
    })
    .catch(() => {});
  // what is already done is read once; what is open comes with the socket's snapshot
  api('/api/store/orders', { quiet: true })
    .then((all) =>
      take(
        (Array.isArray(all) ? all : []).filter((o) => !ACTIVE.includes(o.status)),
        { announce: false },
      ),
    )
    .catch(() => {});
  liveSocket('/ws/store', {
    onMode: (m) => {
      el.live.dataset.mode = m;
      el.live.replaceChildren(...ko(...LIVE[m]));
    },
    onMessage: (msg) => {
      if (msg.type === 'snapshot') take(msg.orders ?? [], { announce: false });
      else if (msg.type === 'order' && msg.order) take([msg.order], { announce: true });
    },
    fallback: async () => take(await api('/api/store/orders', { quiet: true }), { announce: true }),
  });
}

function skeleton() {
  const p = {
    openSwitch: h(
      'button',
      {
        type: 'button',
        class: 'switch',
        testid: 'open-toggle',
        'aria-pressed': 'false',
        disabled: true,
      },
      h('span', { class: 'track' }),
      h('span', { testid: 'open-label' }, '…'),
    ),
    live: h(
      'div',
      { class: 'live', testid: 'store-live', dataset: { mode: 'connecting' } },
      ko('연결 중…', 'Connecting…'),
    ),
    tabs: h('div', { class: 'tabs', role: 'tablist' }),
    storeName: h('h2', { testid: 'store-name' }, me.name || me.subject),
    list: h('div', { class: 'list cols', testid: 'store-orders' }),
    empty: h(
      'p',
      { class: 'empty', testid: 'store-empty', hidden: true },
      ko('주문이 없습니다', 'No orders'),
    ),
  };
  const who = h('div', null, p.storeName, h('p', { class: 'muted small' }, me.subject));
  app.replaceChildren(
    h(
      'div',
      { class: 'card' },
      h('div', { class: 'row wrap' }, who, h('span', { class: 'spacer' }), p.openSwitch),
      p.live,
    ),
    p.tabs,
    p.list,
    p.empty,
  );
  return p;
}

function setOpen(open) {
  el.openSwitch.disabled = false;
  el.openSwitch.setAttribute('aria-pressed', String(!!open));
  el.openSwitch.dataset.open = String(!!open);
  el.openSwitch.lastChild.replaceChildren(
    ...(open ? ko('영업중', 'Open') : ko('영업종료', 'Closed')),
  );
}

/** Whether the store is open, and its Korean name, from the catalogue. */
function loadStore() {
  api('/api/stores', { quiet: true })
    .then((stores) => {
      const mine = Array.isArray(stores) ? stores.find((s) => s.storeId === me.subject) : null;
      setOpen(mine ? mine.open !== false : true);
      if (mine?.nameKo)
        el.storeName.replaceChildren(mine.nameKo, ' ', h('span', { class: 'en' }, mine.name ?? ''));
    })
    .catch(() => setOpen(true));
}

function toggleOpen() {
  return busy(el.openSwitch, async () => {
    const want = el.openSwitch.getAttribute('aria-pressed') !== 'true';
    const res = await api('/api/store/open', { method: 'PUT', body: { open: want } });
    const open = typeof res?.open === 'boolean' ? res.open : want;
    setOpen(open);
    toast(
      open ? '영업을 시작했습니다 The store is open' : '영업을 종료했습니다 The store is closed',
      'ok',
      2500,
    );
  });
}

function render() {
  const counts = Object.fromEntries(
    TABS.map((t) => [t.id, orders.filter((o) => t.match(o.status)).length]),
  );
  const tabButton = (t) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        testid: `tab-${t.id}`,
        'aria-selected': String(t.id === tab),
        onClick: () => ((tab = t.id), render()),
      },
      h('span', null, t.ko, ' ', h('b', null, String(counts[t.id]))),
      ' ',
      h('span', { class: 'en' }, t.en),
    );
  el.tabs.replaceChildren(...TABS.map(tabButton));
  const shown = orders
    .filter((o) => TABS.find((t) => t.id === tab).match(o.status))
    .sort(byUrgency);
  syncList(
    el.list,
    shown,
    (o) => o.orderId,
    (o) => orderCard(o, cards),
    (o) => `${JSON.stringify(o)}|${isRejecting(o, rejecting)}|${koNames.size}`,
  );
  el.empty.hidden = shown.length > 0;
  const fresh = orders.filter((o) => o.status === 'NEW').length;
  document.title = fresh ? `(${fresh}) 신규주문 New · 배달 Baedal` : '배달 Baedal · 사장님 Store';
}

/** Takes in orders as the server sent them; a state never replaces a newer one. */
function take(list, { announce }) {
  let arrived = 0;
  for (const o of list) {
    if (!o?.orderId) continue;
    const had = byId.get(o.orderId);
    if (had && had.version != null && o.version != null && o.version <= had.version) continue;
    if (!had && o.status === 'NEW') arrived += 1;
    byId.set(o.orderId, o);
    if (rejecting.has(o.orderId) && o.status !== 'NEW') rejecting.delete(o.orderId);
  }
  orders = [...byId.values()];
  if (announce && arrived) toast(`새 주문 ${arrived}건이 들어왔습니다 New order!`, 'ok', 4000);
  render();
}

async function act(button, orderId, action, body) {
  try {
    await busy(button, async () => {
      const path = `/api/store/orders/${encodeURIComponent(orderId)}/${action}`;
      const res = await api(path, { method: 'POST', body: body ?? {} });
      if (res && res.orderId === orderId) take([res], { announce: false });
    });
  } catch {
    /* the toast shows the problem's detail */
  }
}

function byUrgency(a, b) {
  const rank = (o) => (o.status === 'NEW' ? 0 : ACTIVE.includes(o.status) ? 1 : 2);
  return rank(a) - rank(b) || String(b.placedAt ?? '').localeCompare(String(a.placedAt ?? ''));
}
