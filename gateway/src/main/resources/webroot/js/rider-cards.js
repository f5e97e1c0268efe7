// The rider page's cards: an offer nearby (claim) and a delivery of the rider's own (pick up,
// deliver). `act(button, orderId, action, body)` sends the rider's command.

import { h } from './dom.js';
import { shortId, won } from './format.js';
import { ko, statusBadge } from './labels.js';

/** 한옥치킨 <en>Hanok Chicken</en>: a store's names as the menu shows them. */
function storeNames(d) {
  const en = d.storeName || d.storeId || '가게 Store';
  return d.storeNameKo && d.storeNameKo !== en
    ? [d.storeNameKo, ' ', h('span', { class: 'en' }, en)]
    : [en];
}

/** An offer; `pos()` is where the rider is, `eta` the express promise in minutes (null: not known yet). */
export function nearbyCard(d, { act, pos, eta }) {
  const claim = h(
    'button',
    { type: 'button', class: 'btn primary', testid: 'claim' },
    ko('배차 받기', 'Claim'),
  );
  claim.addEventListener('click', () =>
    act(claim, d.orderId, 'claim', { lat: pos().lat, lng: pos().lng }),
  );
  return h(
    'article',
    {
      class: 'card order-card',
      testid: 'nearby-delivery',
      dataset: { orderId: d.orderId, status: 'OPEN' },
    },
    h(
      'div',
      { class: 'row wrap' },
      h('h3', { testid: 'offer-store' }, ...storeNames(d)),
      d.express
        ? h('span', { class: 'badge express', testid: 'express-badge' }, '급송 Express')
        : null,
      d.cooked
        ? h('span', { class: 'badge' }, '조리완료 Ready')
        : h('span', { class: 'badge warn' }, '조리중 Cooking'),
      h('span', { class: 'spacer' }),
      h('span', { class: 'muted small mono' }, `#${shortId(d.orderId)}`),
    ),
    h('p', { testid: 'delivery-area' }, '→ ', d.deliveryArea?.text ?? '—'),
    tripMetrics(d),
    h(
      'p',
      { class: 'muted small trip', testid: 'trip' },
      '나 → 가게 → 고객 ',
      h('span', { class: 'en' }, 'you → store → customer'),
    ),
    d.express && eta != null ? expressPromise(eta, d.etaMinutes ?? '—') : null,
    h('div', { class: 'actions' }, claim),
  );
}

function tripMetrics(d) {
  const km = d.distanceKm != null ? Number(d.distanceKm).toFixed(2) : '—';
  return h(
    'div',
    { class: 'metrics' },
    h('span', { testid: 'distance' }, ko('가게까지', 'to the store'), ' ', h('b', null, km), ' km'),
    h(
      'span',
      { testid: 'eta' },
      ko('전체', 'whole trip'),
      ' ',
      h('b', null, d.etaMinutes ?? '—'),
      '분 min',
    ),
    h('span', { testid: 'fee' }, '배달료 Fee ', h('b', null, won(d.fee))),
  );
}

function expressPromise(eta, trip) {
  return h(
    'p',
    { class: 'express-info small', testid: 'express-promise' },
    `급송 약속: 배차부터 도착까지 ${eta}분 이내 (지금 ${trip}분) `,
    h(
      'span',
      { class: 'en' },
      `Express promise: the whole trip in ${eta} min or less (yours: ${trip} min)`,
    ),
  );
}

/** A delivery of the rider's own, with what comes next: pick up (once cooked), deliver. */
export function mineCard(d, { act }) {
  const actions = h('div', { class: 'actions' });
  if (d.status === 'ASSIGNED') {
    const pickup = h(
      'button',
      { type: 'button', class: 'btn primary', testid: 'pickup', disabled: !d.cooked },
      ko('픽업', 'Pick up'),
    );
    pickup.addEventListener('click', () => act(pickup, d.orderId, 'pickup'));
    actions.append(pickup);
    if (!d.cooked) {
      actions.append(
        h(
          'span',
          { class: 'muted small center-self', testid: 'pickup-wait' },
          ko('조리 완료 후 픽업할 수 있어요', 'Pick up once cooked'),
        ),
      );
    }
  } else if (d.status === 'PICKED_UP') {
    const deliver = h(
      'button',
      { type: 'button', class: 'btn primary', testid: 'deliver' },
      ko('배달 완료', 'Delivered'),
    );
    deliver.addEventListener('click', () => act(deliver, d.orderId, 'deliver'));
    actions.append(deliver);
  }
  return h(
    'article',
    {
      class: 'card order-card',
      testid: 'my-delivery',
      dataset: { orderId: d.orderId, status: d.status },
    },
    h(
      'div',
      { class: 'row wrap' },
      h('h3', { testid: 'my-delivery-store' }, ...storeNames(d)),
      statusBadge(d.status, { testid: 'my-delivery-status' }),
      d.express ? h('span', { class: 'badge express' }, '급송 Express') : null,
      h('span', { class: 'spacer' }),
      h('span', { class: 'muted small mono' }, `#${shortId(d.orderId)}`),
    ),
    h('p', { testid: 'delivery-address' }, '→ ', d.deliveryAddress?.text ?? '—'),
    d.customerPhone
      ? h('p', { class: 'muted small', testid: 'customer-phone' }, '☎ ', d.customerPhone)
      : null,
    h(
      'div',
      { class: 'metrics' },
      h('span', null, '배달료 Fee ', h('b', null, won(d.fee))),
      h('span', null, d.cooked ? '조리완료 Ready' : '조리중 Cooking'),
    ),
    actions.children.length ? actions : null,
  );
}
