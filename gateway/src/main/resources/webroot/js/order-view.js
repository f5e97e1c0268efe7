// One order, live: its status, progress and timeline over /ws/orders/{id} (live.js), what was
// refused, the details and the messages received; confirm, change the items, cancel, order again.

import {
  app,
  catalog,
  emptyNote,
  go,
  loadExtras,
  names,
  openOrder,
  storeKo,
} from './customer-shared.js';
import { h } from './dom.js';
import { fmtTime, shortId } from './format.js';
import { api } from './http.js';
import { ko, STATUS_LABELS } from './labels.js';
import { watchOrder } from './live.js';
import { cancelButton, confirmButton } from './order-actions.js';
import { openEditor, renderDetails, renderNotifications } from './order-details.js';

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

/** Timeline entries that are not a change of status. */
const EVENT_LABELS = {
  ITEMS_CHANGED: ['메뉴 변경됨', 'Items changed'],
  CANCEL_REFUSED: ['취소 거절됨', 'Cancel refused'],
};

const LIVE_TEXT = {
  connecting: ['연결 중…', 'Connecting…'],
  live: ['실시간 연결됨', 'Live'],
  offline: ['연결 끊김, 재시도 중', 'Offline, retrying'],
};

export async function showOrder(orderId) {
  const el = orderSkeleton(orderId);
  app.append(el.view);
  const state = { orderId, seen: [], current: null, actionsFor: null };
  const render = (v) => renderOrder(el, state, v);
  // the API reads its writes: an order it answered 201 for is found at once; the express promise
  // shown with it comes from the server too
  const [first] = await Promise.all([firstView(orderId), loadExtras()]);
  if (first.missing) {
    const back = h(
      'button',
      { type: 'button', class: 'btn block', onClick: () => go('#/orders') },
      '내 주문 My orders',
    );
    el.view.replaceChildren(
      h(
        'div',
        { class: 'card' },
        emptyNote('주문을 찾을 수 없습니다', 'No such order', 'order-not-found'),
        back,
      ),
    );
    return;
  }
  if (!el.view.isConnected) return; // navigated away meanwhile
  if (first.view) render(first.view);
  openOrder.watcher = watchOrder(orderId, {
    onView: render,
    onMode: (m) => {
      el.liveEl.dataset.mode = m;
      el.liveEl.replaceChildren(...ko(...(LIVE_TEXT[m] ?? [m, m])));
    },
  });
}

/** The order as POST /api/orders answered it, else as GET /api/orders/{id} does; {missing} if none. */
async function firstView(orderId) {
  const pending = openOrder.pendingView;
  openOrder.pendingView = null;
  if (pending && pending.orderId === orderId) return { view: pending };
  try {
    return { view: await api(`/api/orders/${encodeURIComponent(orderId)}`, { quiet: true }) };
  } catch (e) {
    // anything but 404 / 403 (offline, restarting): the live watch keeps trying
    return e.status === 404 || e.status === 403 ? { missing: true } : { view: null };
  }
}

function orderSkeleton(orderId) {
  const el = {
    statusEl: h(
      'span',
      { class: 'status', testid: 'order-status', role: 'status', 'aria-live': 'polite' },
      '…',
    ),
    liveEl: h('div', { class: 'live', testid: 'live-mode' }, ko(...LIVE_TEXT.connecting)),
    storeEl: h('h2', { testid: 'order-store' }),
    progress: h(
      'div',
      { class: 'progress', 'aria-hidden': 'true' },
      HAPPY_PATH.map(() => h('span')),
    ),
    notices: h('div', { testid: 'order-notices' }),
    timeline: h('ol', { class: 'timeline', testid: 'timeline' }),
    details: h('div', { testid: 'order-details' }),
    notifications: h('div', { class: 'card', testid: 'order-notifications', hidden: true }),
    actions: h('div', { class: 'actions', testid: 'order-actions' }),
    editor: h('div', { class: 'card', testid: 'modify-editor', hidden: true }),
  };
  el.actionsCard = h(
    'div',
    { class: 'card', hidden: true },
    h('h3', null, ko('주문 관리', 'Manage order')),
    el.actions,
  );
  const titled = (cls, koText, enText, body) =>
    h('div', { class: 'card' }, h('h3', { class: cls }, ko(koText, enText)), body);
  el.view = h(
    'section',
    { testid: 'order-view', dataset: { orderId } },
    h(
      'div',
      { class: 'card status-hero' },
      el.storeEl,
      h('p', { class: 'muted small mono', testid: 'order-id' }, `#${shortId(orderId)}`),
      h('div', { class: 'mt-06' }, el.statusEl),
      h('div', null, el.liveEl),
      el.progress,
    ),
    el.notices,
    el.actionsCard,
    el.editor,
    titled('mb-07', '진행 상황', 'Timeline', el.timeline),
    titled('mb-05', '주문 내역', 'Order details', el.details),
    el.notifications,
  );
  return el;
}

function renderOrder(el, state, v) {
  state.current = v;
  const status = typeof v.status === 'string' ? v.status : null;
  const { seen } = state;
  if (status && seen[seen.length - 1] !== status) seen.push(status);
  el.view.dataset.status = status ?? '';
  el.statusEl.dataset.status = status ?? '';
  el.statusEl.dataset.seen = seen.join(' ');
  const label = STATUS_LABELS[status];
  el.statusEl.replaceChildren(...(label ? ko(label[0], label[1]) : [status ?? '—']));
  el.storeEl.replaceChildren(
    ...names(v.storeNameKo ?? storeKo(v.storeId), v.storeName, v.storeId || ' '),
  );
  renderTimeline(el, v, status);
  renderNotices(el.notices, v, status);
  renderDetails(el.details, v, catalog.options);
  renderNotifications(el.notifications, v.notifications);
  const allowed = [
    CHANGEABLE.includes(status) ? 'change' : null,
    status === 'DELIVERED' ? 'confirm' : null,
    ['COMPLETED', 'CANCELLED', 'REJECTED'].includes(status) ? 'again' : null,
  ]
    .filter(Boolean)
    .join(',');
  if (allowed !== state.actionsFor) {
    state.actionsFor = allowed;
    renderActions(el, state, allowed);
    if (!allowed.includes('change')) el.editor.hidden = true;
  }
}

/** The progress bar and the timeline: each status reached, and the changes that kept the status. */
function renderTimeline(el, v, status) {
  const steps = Array.isArray(v.timeline)
    ? v.timeline.filter((t) => t && typeof t.status === 'string')
    : [];
  const reached = new Set(steps.map((t) => t.status));
  const at = HAPPY_PATH.indexOf(status);
  [...el.progress.children].forEach((bar, i) =>
    bar.classList.toggle('done', reached.has(HAPPY_PATH[i]) || (at >= 0 && i <= at)),
  );
  const shown = steps.length ? steps : status ? [{ status, at: v.updatedAt }] : [];
  const time = (t) => (t.at ? h('time', { datetime: t.at }, fmtTime(t.at)) : null);
  const entry = (t) =>
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
          time(t),
        )
      : h(
          'li',
          { testid: 'timeline-step', dataset: { status: t.status } },
          STATUS_LABELS[t.status] ? ko(...STATUS_LABELS[t.status]) : t.status,
          time(t),
        );
  el.timeline.replaceChildren(...shown.map(entry));
}

/** What was refused or is pending: a cancel, the store's reject, a change of items. */
function renderNotices(box, v, status) {
  const notice = (cls, testid, koText, enText, reason) =>
    h(
      'div',
      { class: cls, testid },
      ko(koText, enText),
      ...(reason == null ? [] : [': ', String(reason)]),
    );
  box.replaceChildren(
    ...[
      v.cancelRefusedReason &&
        notice(
          'notice',
          'cancel-refused',
          '취소가 거절되었습니다',
          'Cancel refused',
          v.cancelRefusedReason,
        ),
      v.rejectReason &&
        notice(
          'notice bad',
          'reject-reason',
          '가게가 주문을 거절했습니다',
          'The store rejected the order',
          v.rejectReason,
        ),
      v.modificationRefusedReason &&
        notice(
          'notice',
          'modify-refused',
          '주문 변경이 거절되었습니다',
          'Change refused',
          v.modificationRefusedReason,
        ),
      v.pendingModification &&
        notice(
          'notice',
          'modify-pending',
          '가게에서 변경을 확인하고 있습니다',
          'The store is checking your change',
        ),
      status === 'CANCELLED' &&
        notice(
          'notice bad',
          undefined,
          '주문이 취소되었고 결제가 환불됩니다',
          'The order was cancelled and the payment is refunded',
        ),
    ].filter(Boolean),
  );
}

function renderActions(el, state, allowed) {
  const { orderId } = state;
  el.actions.replaceChildren();
  if (allowed.includes('confirm')) el.actions.append(confirmButton(orderId));
  if (allowed.includes('change')) {
    const modify = h(
      'button',
      { type: 'button', class: 'btn', testid: 'modify-order' },
      ko('메뉴 변경', 'Change items'),
    );
    modify.addEventListener('click', () =>
      openEditor(el.editor, orderId, state.current).catch(() => {}),
    );
    el.actions.append(modify, cancelButton(orderId));
  }
  if (allowed.includes('again') && state.current?.storeId) {
    const again = () => go(`#/store/${encodeURIComponent(state.current.storeId)}`);
    el.actions.append(
      h(
        'button',
        { type: 'button', class: 'btn', testid: 'order-again', onClick: again },
        ko('다시 주문하기', 'Order again'),
      ),
    );
  }
  el.actionsCard.hidden = el.actions.children.length === 0;
}
