// The store page's order cards: the order, and the owner's next steps (accept or reject with a
// reason, start and finish cooking). `page` is what they need of the page: `act(button, orderId,
// action, body)` sends a command, `rejecting` (orderId -> reason being typed), `koNames` (menuId ->
// Korean name) and `render()`.

import { h } from './dom.js';
import { fmtTime, shortId, won } from './format.js';
import { ko, statusBadge } from './labels.js';
import { toast } from './toast.js';

const NEXT = {
  NEW: [
    { action: 'accept', ko: '주문 접수', en: 'Accept', cls: 'primary' },
    { action: 'reject', ko: '거절', en: 'Reject', cls: 'danger' },
  ],
  ACCEPTED: [{ action: 'start-cooking', ko: '조리 시작', en: 'Start cooking', cls: 'primary' }],
  COOKING: [{ action: 'finish-cooking', ko: '조리 완료', en: 'Finish cooking', cls: 'primary' }],
};

export function orderCard(o, page) {
  const items = Array.isArray(o.items) ? o.items : [];
  const item = (i) =>
    h(
      'li',
      { testid: 'store-order-item' },
      itemNames(i, page.koNames),
      ` × ${i.quantity ?? '?'}`,
      i.price != null
        ? h('span', { class: 'muted small' }, `  ${won(i.price * (i.quantity || 0))}`)
        : null,
    );
  const fee = o.deliveryFee != null ? ` (배달팁 fee ${won(o.deliveryFee)})` : '';
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
    h('ul', null, items.map(item)),
    h(
      'dl',
      { class: 'kv' },
      h('dt', null, '고객 Customer'),
      h('dd', null, o.customerId ?? '—'),
      h('dt', null, '주소 Address'),
      h('dd', null, o.deliveryAddress?.text ?? '—'),
      h('dt', null, '결제 Total'),
      h('dd', { class: 'price' }, won(o.total), h('span', { class: 'muted small' }, fee)),
    ),
    o.rejectReason
      ? h('div', { class: 'notice bad' }, ko('거절 사유', 'Reason'), ': ', String(o.rejectReason))
      : null,
  );
  if (isRejecting(o, page.rejecting)) card.append(rejectForm(o, page));
  else if ((NEXT[o.status] ?? []).length) card.append(actionButtons(o, page));
  return card;
}

/** The reason to reject with, typed before the reject is sent. */
function rejectForm(o, { act, rejecting, render }) {
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
  const back = () => (rejecting.delete(o.orderId), render());
  setTimeout(() => reason.focus(), 0);
  return h(
    'div',
    { class: 'reject-form' },
    reason,
    confirm,
    h('button', { type: 'button', class: 'btn', onClick: back }, '취소 Back'),
  );
}

function actionButtons(o, { act, rejecting, render }) {
  const button = (a) => {
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
  };
  return h('div', { class: 'actions' }, NEXT[o.status].map(button));
}

/** 후라이드 치킨 <en>Fried Chicken</en>: the item's Korean name (the order's, else the menu's) and English one. */
function itemNames(i, koNames) {
  const nameKo = i.nameKo ?? koNames.get(i.menuId);
  return nameKo ? [nameKo, ' ', h('span', { class: 'en' }, i.name ?? '')] : (i.name ?? i.menuId);
}

export function isRejecting(o, rejecting) {
  return o.status === 'NEW' && rejecting.has(o.orderId);
}
