// Korean and English labels: statuses, their badges, and a label in both languages.

import { h } from './dom.js';

/** Korean and English labels of every status the pages show (order, store order, delivery). */
export const STATUS_LABELS = {
  PAID: ['결제완료', 'Paid'],
  ACCEPTED: ['주문접수', 'Accepted'],
  COOKING: ['조리중', 'Cooking'],
  COOKED: ['조리완료', 'Cooked'],
  RIDER_ASSIGNED: ['배차완료', 'Rider assigned'],
  PICKED_UP: ['배달시작', 'Picked up'],
  DELIVERED: ['배달완료', 'Delivered'],
  COMPLETED: ['수령확인', 'Completed'],
  REJECTED: ['주문거절', 'Rejected'],
  CANCEL_REQUESTED: ['취소요청', 'Cancel requested'],
  CANCELLED: ['주문취소', 'Cancelled'],
  NEW: ['신규주문', 'New'],
  OPEN: ['배차대기', 'Open'],
  ASSIGNED: ['배차완료', 'Assigned'],
  WITHDRAWN: ['배달취소', 'Withdrawn'],
};

/** "조리중 Cooking" as text. */
export function statusText(status) {
  const l = STATUS_LABELS[status];
  return l ? `${l[0]} ${l[1]}` : String(status ?? '—');
}

/** A badge element for a status. */
export function statusBadge(status, extra = {}) {
  const l = STATUS_LABELS[status];
  const tone = ['REJECTED', 'CANCELLED', 'WITHDRAWN'].includes(status)
    ? 'bad'
    : ['CANCEL_REQUESTED'].includes(status)
      ? 'warn'
      : ['COMPLETED', 'DELIVERED'].includes(status)
        ? 'done'
        : status === 'NEW'
          ? 'new'
          : '';
  return h(
    'span',
    { class: `badge ${tone}`, dataset: { status: status ?? '' }, ...extra },
    l ? [l[0], ' ', h('span', { class: 'en' }, l[1])] : String(status ?? '—'),
  );
}

/** Korean + English label: ko('주문하기', 'Order') -> [주문하기 <span class=en>Order</span>] */
export function ko(korean, english) {
  return [korean, ' ', h('span', { class: 'en' }, english)];
}
