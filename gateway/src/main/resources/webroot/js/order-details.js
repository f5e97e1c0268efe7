// The parts of one order's page below its status: what was ordered and paid, the messages the
// customer received, and the editor that asks the store to change the items.

import { catalog, hrSep, loadMenu, menuRow, names } from './customer-shared.js';
import { busy, h } from './dom.js';
import { fmtTime, won } from './format.js';
import { api } from './http.js';
import { ko } from './labels.js';
import { toast } from './toast.js';

const NOTICE_STATUS = {
  requested: ['보내는 중', 'sending'],
  sent: ['보냄', 'sent'],
  failed: ['보내지 못함', 'failed'],
};

/** Items, amounts, the express promise (`options`: GET /api/delivery-options), address, rider, payment. */
export function renderDetails(box, v, options) {
  const items = Array.isArray(v.items) ? v.items : [];
  const subtotal =
    v.subtotal ?? items.reduce((s, i) => s + (Number(i.price) || 0) * (Number(i.quantity) || 0), 0);
  const amount = (koText, enText, value, testid, badge = null) =>
    h(
      'div',
      { class: 'row' },
      h('span', null, ko(koText, enText), badge),
      h('span', { class: 'price', testid }, won(value)),
    );
  const express = v.express
    ? h('span', { class: 'badge express', testid: 'order-express' }, '급송 Express')
    : null;
  const total = amount('결제금액', 'Total', v.total, 'order-total-paid');
  total.classList.add('total');
  box.replaceChildren(
    h(
      'div',
      { testid: 'order-items' },
      items.map((i) => itemRow(i, catalog.menus.get(v.storeId) ?? [])),
    ),
    hrSep(),
    h(
      'div',
      { class: 'summary' },
      amount('주문금액', 'Subtotal', subtotal),
      amount('배달팁', 'Delivery fee', v.deliveryFee, undefined, [' ', express]),
      total,
    ),
    v.express ? expressPromise(options.expressEtaMinutes) : null,
    facts(v),
  );
}

function itemRow(i, menu) {
  const nameKo = i.nameKo ?? menu.find((m) => m.menuId === i.menuId)?.nameKo;
  return h(
    'div',
    { class: 'row order-line', testid: 'order-item' },
    h('span', null, ...names(nameKo, i.name, i.menuId), ' × ', String(i.quantity ?? '?')),
    h('span', { class: 'spacer' }),
    h(
      'span',
      { class: 'price' },
      i.price != null ? won(Number(i.price) * (Number(i.quantity) || 0)) : '',
    ),
  );
}

function expressPromise(eta) {
  return h(
    'p',
    { class: 'express-info small', testid: 'order-express-promise' },
    `급송: 가게를 거쳐 도착하기까지 ${eta}분 이내인 라이더만 이 주문을 받을 수 있어요. `,
    h(
      'span',
      { class: 'en' },
      `Express: only a rider whose whole trip takes ${eta} minutes or less can take this order.`,
    ),
  );
}

/** Address, rider, payment and the time it was placed. */
function facts(v) {
  const pay = v.payment && typeof v.payment === 'object' ? v.payment : null;
  const payment = pay
    ? [
        pay.status,
        pay.amount != null ? won(pay.amount) : null,
        Number(pay.refunded) > 0 ? `환불 Refunded ${won(pay.refunded)}` : null,
      ]
        .filter(Boolean)
        .join(' · ')
    : null;
  return h(
    'dl',
    { class: 'kv' },
    v.deliveryAddress?.text
      ? [h('dt', null, '주소 Address'), h('dd', null, v.deliveryAddress.text)]
      : null,
    [h('dt', null, '라이더 Rider'), h('dd', { testid: 'order-rider' }, v.riderId || '—')],
    pay ? [h('dt', null, '결제 Payment'), h('dd', { testid: 'order-payment' }, payment)] : null,
    v.createdAt ? [h('dt', null, '주문시각 Placed'), h('dd', null, fmtTime(v.createdAt))] : null,
  );
}

/** The messages the customer received (KakaoTalk style): the text itself, in Korean and English. */
export function renderNotifications(box, list) {
  const items = Array.isArray(list) ? list : [];
  box.hidden = items.length === 0;
  box.replaceChildren(
    h('h3', { class: 'mb-05' }, ko('받은 알림', 'Messages you received')),
    h('ul', { class: 'notices' }, items.map(notificationItem)),
  );
}

function notificationItem(n) {
  const status = NOTICE_STATUS[n?.status] ? ko(...NOTICE_STATUS[n.status]) : [n?.status ?? ''];
  return h(
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
      ...status,
      n?.at ? h('time', { datetime: n.at }, ' · ', fmtTime(n.at)) : null,
    ),
  );
}

/** The editor of the order's items: PATCH /api/orders/{id} asks the store to change them. */
export async function openEditor(editor, orderId, v) {
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
  const close = h(
    'button',
    { type: 'button', class: 'btn', onClick: () => (editor.hidden = true) },
    '닫기 Close',
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
    h('div', { class: 'actions' }, submit, close),
  );
  refresh();
  editor.hidden = false;
  editor.scrollIntoView({ behavior: 'smooth', block: 'start' });
}
