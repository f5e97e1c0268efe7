// Store owner page: the store's orders, live over /ws/store (new orders and every change are pushed);
// accept / reject / cook; open or close. The orders already done are read once, at load.

import { api } from './http.js';
import { guard } from './session.js';
import { busy, h, syncList } from './dom.js';
import { toast } from './toast.js';
import { ko, statusBadge } from './labels.js';
import { fmtTime, shortId, won } from './format.js';
import { topbar } from './topbar.js';
import { liveSocket } from './socket.js';

const me = guard('store');
const app = document.getElementById('app');

const ACTIVE = ['NEW', 'ACCEPTED', 'COOKING', 'COOKED'];
const TABS = [
  { id: 'all', ko: '전체', en: 'All', match: () => true },
  { id: 'active', ko: '진행중', en: 'In progress', match: (s) => ACTIVE.includes(s) },
  { id: 'done', ko: '완료', en: 'Done', match: (s) => !ACTIVE.includes(s) },
];
const NEXT = {
  NEW: [
    { action: 'accept', ko: '주문 접수', en: 'Accept', cls: 'primary' },
    { action: 'reject', ko: '거절', en: 'Reject', cls: 'danger' },
  ],
  ACCEPTED: [{ action: 'start-cooking', ko: '조리 시작', en: 'Start cooking', cls: 'primary' }],
  COOKING: [{ action: 'finish-cooking', ko: '조리 완료', en: 'Finish cooking', cls: 'primary' }],
};

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

if (me) {
  topbar(me, '사장님 Store');
  main();
}

function main() {
  const openSwitch = h(
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
  );
  const live = h(
    'div',
    { class: 'live', testid: 'store-live', dataset: { mode: 'connecting' } },
    ko('연결 중…', 'Connecting…'),
  );
  const tabs = h('div', { class: 'tabs', role: 'tablist' });
  const storeName = h('h2', { testid: 'store-name' }, me.name || me.subject);
  const list = h('div', { class: 'list cols', testid: 'store-orders' });
  const empty = h(
    'p',
    { class: 'empty', testid: 'store-empty', hidden: true },
    ko('주문이 없습니다', 'No orders'),
  );
  app.replaceChildren(
    h(
      'div',
      { class: 'card' },
      h(
        'div',
        { class: 'row wrap' },
        h('div', null, storeName, h('p', { class: 'muted small' }, me.subject)),
        h('span', { class: 'spacer' }),
        openSwitch,
      ),
      live,
    ),
    tabs,
    list,
    empty,
  );

  const setOpen = (open) => {
    openSwitch.disabled = false;
    openSwitch.setAttribute('aria-pressed', String(!!open));
    openSwitch.dataset.open = String(!!open);
    openSwitch.lastChild.replaceChildren(
      ...(open ? ko('영업중', 'Open') : ko('영업종료', 'Closed')),
    );
  };
  api('/api/stores', { quiet: true })
    .then((stores) => {
      const mine = Array.isArray(stores) ? stores.find((s) => s.storeId === me.subject) : null;
      setOpen(mine ? mine.open !== false : true);
      if (mine?.nameKo)
        storeName.replaceChildren(mine.nameKo, ' ', h('span', { class: 'en' }, mine.name ?? ''));
    })
    .catch(() => setOpen(true));
  openSwitch.addEventListener('click', () =>
    busy(openSwitch, async () => {
      const want = openSwitch.getAttribute('aria-pressed') !== 'true';
      const res = await api('/api/store/open', { method: 'PUT', body: { open: want } });
      const open = typeof res?.open === 'boolean' ? res.open : want;
      setOpen(open);
      toast(
        open ? '영업을 시작했습니다 The store is open' : '영업을 종료했습니다 The store is closed',
        'ok',
        2500,
      );
    }).catch(() => {}),
  );

  api(`/api/stores/${encodeURIComponent(me.subject)}/menu`, { quiet: true })
    .then((menu) => {
      for (const m of Array.isArray(menu) ? menu : [])
        if (m?.menuId && m.nameKo) koNames.set(m.menuId, m.nameKo);
      render();
    })
    .catch(() => {});

  const render = () => {
    const counts = Object.fromEntries(
      TABS.map((t) => [t.id, orders.filter((o) => t.match(o.status)).length]),
    );
    tabs.replaceChildren(
      ...TABS.map((t) =>
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
        ),
      ),
    );
    const shown = orders
      .filter((o) => TABS.find((t) => t.id === tab).match(o.status))
      .sort(byUrgency);
    syncList(
      list,
      shown,
      (o) => o.orderId,
      orderCard,
      (o) => `${JSON.stringify(o)}|${isRejecting(o)}|${koNames.size}`,
    );
    empty.hidden = shown.length > 0;
    const fresh = orders.filter((o) => o.status === 'NEW').length;
    document.title = fresh ? `(${fresh}) 신규주문 New · 배달 Baedal` : '배달 Baedal · 사장님 Store';
  };

  /** Takes in orders as the server sent them; a state never replaces a newer one. */
  const take = (list, { announce }) => {
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
  };

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
      live.dataset.mode = m;
      live.replaceChildren(...ko(...LIVE[m]));
    },
    onMessage: (msg) => {
      if (msg.type === 'snapshot') take(msg.orders ?? [], { announce: false });
      else if (msg.type === 'order' && msg.order) take([msg.order], { announce: true });
    },
    fallback: async () => take(await api('/api/store/orders', { quiet: true }), { announce: true }),
  });

  function orderCard(o) {
    const items = Array.isArray(o.items) ? o.items : [];
    const card = h(
      'article',
      {
        class: 'card order-card',
        testid: 'store-order',
        dataset: { orderId: o.orderId, status: o.status },
      },
      h(
        'div',
        { class: 'row wrap' },
        h('h3', { class: 'mono' }, `#${shortId(o.orderId)}`),
        statusBadge(o.status, { testid: 'store-order-status' }),
        o.express ? h('span', { class: 'badge express' }, '급송 Express') : null,
        h('span', { class: 'spacer' }),
        h('span', { class: 'muted small' }, fmtTime(o.placedAt)),
      ),
      h(
        'ul',
        null,
        items.map((i) =>
          h(
            'li',
            { testid: 'store-order-item' },
            itemNames(i),
            ` × ${i.quantity ?? '?'}`,
            i.price != null
              ? h('span', { class: 'muted small' }, `  ${won(i.price * (i.quantity || 0))}`)
              : null,
          ),
        ),
      ),
      h(
        'dl',
        { class: 'kv' },
        h('dt', null, '고객 Customer'),
        h('dd', null, o.customerId ?? '—'),
        h('dt', null, '주소 Address'),
        h('dd', null, o.deliveryAddress?.text ?? '—'),
        h('dt', null, '결제 Total'),
        h(
          'dd',
          { class: 'price' },
          won(o.total),
          h(
            'span',
            { class: 'muted small' },
            o.deliveryFee != null ? ` (배달팁 fee ${won(o.deliveryFee)})` : '',
          ),
        ),
      ),
      o.rejectReason
        ? h('div', { class: 'notice bad' }, ko('거절 사유', 'Reason'), ': ', String(o.rejectReason))
        : null,
    );
    const acts = NEXT[o.status] ?? [];
    if (isRejecting(o)) {
      const reason = h('input', {
        testid: 'reject-reason',
        value: rejecting.get(o.orderId),
        'aria-label': '거절 사유 Reason',
      });
      reason.addEventListener('input', () => rejecting.set(o.orderId, reason.value));
      const confirm = h(
        'button',
        { type: 'button', class: 'btn danger solid', testid: 'reject-confirm' },
        ko('거절하기', 'Reject'),
      );
      confirm.addEventListener('click', () => {
        const why = reason.value.trim();
        if (!why) return toast('거절 사유를 입력해 주세요 Enter a reason');
        act(confirm, o.orderId, 'reject', { reason: why });
      });
      card.append(
        h(
          'div',
          { class: 'reject-form' },
          reason,
          confirm,
          h(
            'button',
            {
              type: 'button',
              class: 'btn',
              onClick: () => (rejecting.delete(o.orderId), render()),
            },
            '취소 Back',
          ),
        ),
      );
      setTimeout(() => reason.focus(), 0);
    } else if (acts.length) {
      card.append(
        h(
          'div',
          { class: 'actions' },
          acts.map((a) => {
            const b = h(
              'button',
              { type: 'button', class: `btn ${a.cls}`, testid: a.action },
              ko(a.ko, a.en),
            );
            b.addEventListener('click', () => {
              if (a.action === 'reject') {
                rejecting.set(o.orderId, '재료 소진 Out of ingredients');
                render();
              } else act(b, o.orderId, a.action);
            });
            return b;
          }),
        ),
      );
    }
    return card;
  }

  async function act(button, orderId, action, body) {
    try {
      await busy(button, async () => {
        const res = await api(`/api/store/orders/${encodeURIComponent(orderId)}/${action}`, {
          method: 'POST',
          body: body ?? {},
        });
        if (res && res.orderId === orderId) take([res], { announce: false });
      });
    } catch {
      /* the toast shows the problem's detail */
    }
  }
}

/** 후라이드 치킨 <en>Fried Chicken</en>: the item's Korean name (the order's, else the menu's) and English one. */
function itemNames(i) {
  const nameKo = i.nameKo ?? koNames.get(i.menuId);
  return nameKo ? [nameKo, ' ', h('span', { class: 'en' }, i.name ?? '')] : (i.name ?? i.menuId);
}

function isRejecting(o) {
  return o.status === 'NEW' && rejecting.has(o.orderId);
}

function byUrgency(a, b) {
  const rank = (o) => (o.status === 'NEW' ? 0 : ACTIVE.includes(o.status) ? 1 : 2);
  return rank(a) - rank(b) || String(b.placedAt ?? '').localeCompare(String(a.placedAt ?? ''));
}
