// Rider page, live over /ws/rider: the rider's position goes up whenever it changes, offers nearby
// come down (new ones, and those taken or withdrawn); claim; my deliveries: pick up, deliver.
// The delivery under way comes first, then the offers (with the whole trip and the express
// promise), then the deliveries done.

import { api } from './http.js';
import { guard } from './session.js';
import { busy, h, syncList } from './dom.js';
import { toast } from './toast.js';
import { ko, statusBadge } from './labels.js';
import { shortId, won } from './format.js';
import { topbar } from './topbar.js';
import { liveSocket } from './socket.js';

const me = guard('rider');
const app = document.getElementById('app');

const POS_KEY = 'baedal.riderPosition';
const DEFAULT_POS = { lat: 37.499, lng: 127.028 }; // near Hanok Chicken, Gangnam
const ACTIVE = ['ASSIGNED', 'PICKED_UP'];
const options = { expressEtaMinutes: 15 }; // GET /api/delivery-options says what is in force

/** 한옥치킨 <en>Hanok Chicken</en>: a store's names as the menu shows them. */
function storeNames(d) {
  const en = d.storeName || d.storeId || '가게 Store';
  return d.storeNameKo && d.storeNameKo !== en
    ? [d.storeNameKo, ' ', h('span', { class: 'en' }, en)]
    : [en];
}

if (me) {
  topbar(me, '라이더 Rider');
  main();
}

function loadPosition() {
  try {
    const p = JSON.parse(sessionStorage.getItem(POS_KEY));
    if (Number.isFinite(p?.lat) && Number.isFinite(p?.lng)) return p;
  } catch {
    /* default */
  }
  return { ...DEFAULT_POS };
}

function main() {
  let pos = loadPosition();
  const offers = new Map(); // orderId -> offer
  const mineById = new Map(); // orderId -> my delivery (newest version)

  const lat = h('input', {
    type: 'number',
    step: '0.0001',
    testid: 'rider-lat',
    value: pos.lat.toFixed(4),
    'aria-label': '위도 Latitude',
  });
  const lng = h('input', {
    type: 'number',
    step: '0.0001',
    testid: 'rider-lng',
    value: pos.lng.toFixed(4),
    'aria-label': '경도 Longitude',
  });
  const locate = h(
    'button',
    { type: 'button', class: 'btn', testid: 'use-location', hidden: !navigator.geolocation },
    ko('현재 위치 사용', 'Use my location'),
  );
  const live = h(
    'div',
    { class: 'live', testid: 'rider-live', dataset: { mode: 'connecting' } },
    ko('연결 중…', 'Connecting…'),
  );
  const nearby = h('div', { class: 'list', testid: 'nearby-list' });
  const nearbyEmpty = h(
    'p',
    { class: 'empty', testid: 'nearby-empty', hidden: true },
    ko('근처에 대기 중인 배달이 없습니다', 'No deliveries waiting nearby'),
  );
  const nearbyCount = h('span', { class: 'count', testid: 'nearby-count' });
  const mine = h('div', { class: 'list', testid: 'my-deliveries' });
  const mineEmpty = h(
    'p',
    { class: 'empty', testid: 'mine-empty', hidden: true },
    ko('진행 중인 배달이 없습니다', 'No delivery under way'),
  );
  const mineCount = h('span', { class: 'count' });
  const done = h('div', { class: 'list', testid: 'done-deliveries' });
  const doneTitle = h(
    'div',
    { class: 'section-title', hidden: true },
    h('h2', null, ko('지난 배달', 'Past deliveries')),
  );

  app.replaceChildren(
    h(
      'div',
      { class: 'card', testid: 'rider-position' },
      h('h3', { class: 'mb-06' }, ko('내 위치', 'My position')),
      h(
        'div',
        { class: 'grid2' },
        h('label', { class: 'field' }, h('span', null, ko('위도', 'Lat')), lat),
        h('label', { class: 'field' }, h('span', null, ko('경도', 'Lng')), lng),
      ),
      h('div', { class: 'row wrap' }, locate, h('span', { class: 'spacer' }), live),
    ),
    h(
      'div',
      { class: 'section-title', testid: 'active-title' },
      h('h2', null, ko('진행 중인 배달', 'Under way')),
      mineCount,
    ),
    mine,
    mineEmpty,
    h(
      'div',
      { class: 'section-title', testid: 'nearby-title' },
      h('h2', null, ko('주변 배달', 'Nearby deliveries')),
      nearbyCount,
    ),
    nearby,
    nearbyEmpty,
    doneTitle,
    done,
  );

  api('/api/delivery-options', { quiet: true })
    .then((o) => {
      Object.assign(options, o ?? {});
      renderNearby();
    })
    .catch(() => {});

  const readPosition = () => {
    const p = { lat: Number(lat.value), lng: Number(lng.value) };
    if (
      Number.isFinite(p.lat) &&
      Number.isFinite(p.lng) &&
      Math.abs(p.lat) <= 90 &&
      Math.abs(p.lng) <= 180
    ) {
      pos = p;
      sessionStorage.setItem(POS_KEY, JSON.stringify(pos));
      socket.send(pos);
    }
  };
  lat.addEventListener('change', readPosition);
  lng.addEventListener('change', readPosition);
  locate.addEventListener('click', () => {
    locate.disabled = true;
    navigator.geolocation.getCurrentPosition(
      (p) => {
        locate.disabled = false;
        lat.value = p.coords.latitude.toFixed(4);
        lng.value = p.coords.longitude.toFixed(4);
        readPosition();
      },
      (err) => {
        locate.disabled = false;
        toast(`위치를 가져올 수 없습니다 Cannot get your location: ${err.message}`);
      },
      { enableHighAccuracy: true, timeout: 10000, maximumAge: 30000 },
    );
  });

  const renderNearby = () => {
    const items = [...offers.values()].sort(
      (a, b) =>
        (b.express === true) - (a.express === true) || (a.distanceKm ?? 0) - (b.distanceKm ?? 0),
    );
    syncList(
      nearby,
      items,
      (d) => d.orderId,
      nearbyCard,
      (d) => `${JSON.stringify(d)}|${options.expressEtaMinutes}`,
    );
    nearbyEmpty.hidden = items.length > 0;
    nearbyCount.textContent = `${items.length}건`;
  };
  const renderMine = () => {
    const all = [...mineById.values()];
    const active = all.filter((d) => ACTIVE.includes(d.status));
    const past = all.filter((d) => !ACTIVE.includes(d.status)).slice(0, 30);
    syncList(mine, active, (d) => d.orderId, mineCard);
    syncList(done, past, (d) => d.orderId, mineCard);
    mineEmpty.hidden = active.length > 0;
    doneTitle.hidden = past.length === 0;
    mineCount.textContent = `${active.length}건 active`;
  };
  const takeMine = (list) => {
    for (const d of list) {
      const had = mineById.get(d?.orderId);
      if (
        !d?.orderId ||
        (had && had.version != null && d.version != null && d.version <= had.version)
      )
        continue;
      mineById.set(d.orderId, d);
      offers.delete(d.orderId);
    }
    renderMine();
    renderNearby();
  };
  const takeOffers = (list) => {
    offers.clear();
    for (const o of list) if (o?.orderId && !mineById.has(o.orderId)) offers.set(o.orderId, o);
    renderNearby();
  };

  // my deliveries so far are read once; from then on the socket says what changes
  api('/api/rider/deliveries/mine', { quiet: true })
    .then((list) => takeMine(Array.isArray(list) ? list : []))
    .catch(() => {});

  const LIVE = {
    connecting: ['연결 중…', 'Connecting…'],
    live: ['실시간 연결됨', 'Live'],
    offline: ['연결 끊김, 재시도 중', 'Offline, retrying'],
  };
  const socket = liveSocket('/ws/rider', {
    onMode: (m) => {
      live.dataset.mode = m;
      live.replaceChildren(...ko(...LIVE[m]));
    },
    onOpen: (send) => send(pos),
    onMessage: (msg) => {
      if (msg.type === 'offers') takeOffers(msg.offers ?? []);
      else if (msg.type === 'offer' && msg.offer) {
        offers.set(msg.offer.orderId, msg.offer);
        renderNearby();
      } else if ((msg.type === 'taken' || msg.type === 'withdrawn') && offers.delete(msg.orderId))
        renderNearby();
      else if (msg.type === 'mine' && msg.delivery) takeMine([msg.delivery]);
      else if (msg.type === 'error') toast(msg.detail);
    },
    fallback: async () => {
      const q = `lat=${encodeURIComponent(pos.lat)}&lng=${encodeURIComponent(pos.lng)}`;
      takeOffers(await api(`/api/rider/deliveries?${q}`, { quiet: true }));
      takeMine(await api('/api/rider/deliveries/mine', { quiet: true }));
    },
  });

  async function act(button, orderId, action, body) {
    try {
      const res = await busy(button, () =>
        api(`/api/rider/deliveries/${encodeURIComponent(orderId)}/${action}`, {
          method: 'POST',
          body: body ?? {},
        }),
      );
      if (res?.orderId) takeMine([res]);
      const done = {
        claim: '배차 완료 Claimed',
        pickup: '픽업 완료, 배달 시작 Picked up',
        deliver: '배달 완료 Delivered',
      }[action];
      if (done) toast(done, 'ok', 2500);
    } catch {
      /* the toast shows the problem's detail */
    }
  }

  function nearbyCard(d) {
    const claim = h(
      'button',
      { type: 'button', class: 'btn primary', testid: 'claim' },
      ko('배차 받기', 'Claim'),
    );
    claim.addEventListener('click', () =>
      act(claim, d.orderId, 'claim', { lat: pos.lat, lng: pos.lng }),
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
      h(
        'div',
        { class: 'metrics' },
        h(
          'span',
          { testid: 'distance' },
          ko('가게까지', 'to the store'),
          ' ',
          h('b', null, d.distanceKm != null ? Number(d.distanceKm).toFixed(2) : '—'),
          ' km',
        ),
        h(
          'span',
          { testid: 'eta' },
          ko('전체', 'whole trip'),
          ' ',
          h('b', null, d.etaMinutes ?? '—'),
          '분 min',
        ),
        h('span', { testid: 'fee' }, '배달료 Fee ', h('b', null, won(d.fee))),
      ),
      h(
        'p',
        { class: 'muted small trip', testid: 'trip' },
        '나 → 가게 → 고객 ',
        h('span', { class: 'en' }, 'you → store → customer'),
      ),
      d.express
        ? h(
            'p',
            { class: 'express-info small', testid: 'express-promise' },
            `급송 약속: 배차부터 도착까지 ${options.expressEtaMinutes}분 이내 (지금 ${d.etaMinutes ?? '—'}분) `,
            h(
              'span',
              { class: 'en' },
              `Express promise: the whole trip in ${options.expressEtaMinutes} min or less (yours: ${d.etaMinutes ?? '—'} min)`,
            ),
          )
        : null,
      h('div', { class: 'actions' }, claim),
    );
  }

  function mineCard(d) {
    const actions = h('div', { class: 'actions' });
    if (d.status === 'ASSIGNED') {
      const pickup = h(
        'button',
        { type: 'button', class: 'btn primary', testid: 'pickup', disabled: !d.cooked },
        ko('픽업', 'Pick up'),
      );
      pickup.addEventListener('click', () => act(pickup, d.orderId, 'pickup'));
      actions.append(pickup);
      if (!d.cooked)
        actions.append(
          h(
            'span',
            { class: 'muted small center-self', testid: 'pickup-wait' },
            ko('조리 완료 후 픽업할 수 있어요', 'Pick up once cooked'),
          ),
        );
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
}
