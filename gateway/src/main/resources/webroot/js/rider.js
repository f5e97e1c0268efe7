// Rider page, live over /ws/rider: the rider's position goes up whenever it changes, offers nearby
// come down (new ones, and those taken or withdrawn); claim; my deliveries: pick up, deliver.
// The delivery under way comes first, then the offers (with the whole trip and the express
// promise), then the deliveries done. The cards are drawn in rider-cards.js.

import { busy, h, syncList } from './dom.js';
import { api } from './http.js';
import { ko } from './labels.js';
import { mineCard, nearbyCard } from './rider-cards.js';
import { guard } from './session.js';
import { liveSocket } from './socket.js';
import { toast } from './toast.js';
import { topbar } from './topbar.js';

const me = guard('rider');
const app = document.getElementById('app');

const POS_KEY = 'baedal.riderPosition';
const DEFAULT_POS = { lat: 37.499, lng: 127.028 }; // near Hanok Chicken, Gangnam
const ACTIVE = ['ASSIGNED', 'PICKED_UP'];
const LIVE = {
  connecting: ['연결 중…', 'Connecting…'],
  live: ['실시간 연결됨', 'Live'],
  offline: ['연결 끊김, 재시도 중', 'Offline, retrying'],
};

const options = {}; // GET /api/delivery-options: the express promise in force
const offers = new Map(); // orderId -> offer
const mineById = new Map(); // orderId -> my delivery (newest version)
let pos = null; // where the rider is: {lat, lng}
let el = null; // the page's parts (skeleton())
let socket = null;

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
  pos = loadPosition();
  el = skeleton();
  api('/api/delivery-options', { quiet: true })
    .then((o) => {
      Object.assign(options, o ?? {});
      renderNearby();
    })
    .catch(() => {});
  el.lat.addEventListener('change', readPosition);
  el.lng.addEventListener('change', readPosition);
  el.locate.addEventListener('click', locate);
  // my deliveries so far are read once; from then on the socket says what changes
  api('/api/rider/deliveries/mine', { quiet: true })
    .then((list) => takeMine(Array.isArray(list) ? list : []))
    .catch(() => {});
  socket = liveSocket('/ws/rider', {
    onMode: (m) => {
      el.live.dataset.mode = m;
      el.live.replaceChildren(...ko(...LIVE[m]));
    },
    onOpen: (send) => send(pos),
    onMessage,
    fallback: async () => {
      const q = `lat=${encodeURIComponent(pos.lat)}&lng=${encodeURIComponent(pos.lng)}`;
      takeOffers(await api(`/api/rider/deliveries?${q}`, { quiet: true }));
      takeMine(await api('/api/rider/deliveries/mine', { quiet: true }));
    },
  });
}

function skeleton() {
  const coord = (testid, value, label) =>
    h('input', {
      type: 'number',
      step: '0.0001',
      testid,
      value: value.toFixed(4),
      'aria-label': label,
    });
  const p = {
    lat: coord('rider-lat', pos.lat, '위도 Latitude'),
    lng: coord('rider-lng', pos.lng, '경도 Longitude'),
    locate: h(
      'button',
      { type: 'button', class: 'btn', testid: 'use-location', hidden: !navigator.geolocation },
      ko('현재 위치 사용', 'Use my location'),
    ),
    live: h(
      'div',
      { class: 'live', testid: 'rider-live', dataset: { mode: 'connecting' } },
      ko('연결 중…', 'Connecting…'),
    ),
    nearby: h('div', { class: 'list', testid: 'nearby-list' }),
    nearbyEmpty: h(
      'p',
      { class: 'empty', testid: 'nearby-empty', hidden: true },
      ko('근처에 대기 중인 배달이 없습니다', 'No deliveries waiting nearby'),
    ),
    nearbyCount: h('span', { class: 'count', testid: 'nearby-count' }),
    mine: h('div', { class: 'list', testid: 'my-deliveries' }),
    mineEmpty: h(
      'p',
      { class: 'empty', testid: 'mine-empty', hidden: true },
      ko('진행 중인 배달이 없습니다', 'No delivery under way'),
    ),
    mineCount: h('span', { class: 'count' }),
    done: h('div', { class: 'list', testid: 'done-deliveries' }),
    doneTitle: h(
      'div',
      { class: 'section-title', hidden: true },
      h('h2', null, ko('지난 배달', 'Past deliveries')),
    ),
  };
  const field = (koText, enText, input) =>
    h('label', { class: 'field' }, h('span', null, ko(koText, enText)), input);
  const title = (testid, koText, enText, count) =>
    h('div', { class: 'section-title', testid }, h('h2', null, ko(koText, enText)), count);
  app.replaceChildren(
    h(
      'div',
      { class: 'card', testid: 'rider-position' },
      h('h3', { class: 'mb-06' }, ko('내 위치', 'My position')),
      h('div', { class: 'grid2' }, field('위도', 'Lat', p.lat), field('경도', 'Lng', p.lng)),
      h('div', { class: 'row wrap' }, p.locate, h('span', { class: 'spacer' }), p.live),
    ),
    title('active-title', '진행 중인 배달', 'Under way', p.mineCount),
    p.mine,
    p.mineEmpty,
    title('nearby-title', '주변 배달', 'Nearby deliveries', p.nearbyCount),
    p.nearby,
    p.nearbyEmpty,
    p.doneTitle,
    p.done,
  );
  return p;
}

/** The position typed in goes up to the server (and is kept for this tab) when it is a place. */
function readPosition() {
  const p = { lat: Number(el.lat.value), lng: Number(el.lng.value) };
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
}

function locate() {
  el.locate.disabled = true;
  navigator.geolocation.getCurrentPosition(
    (p) => {
      el.locate.disabled = false;
      el.lat.value = p.coords.latitude.toFixed(4);
      el.lng.value = p.coords.longitude.toFixed(4);
      readPosition();
    },
    (err) => {
      el.locate.disabled = false;
      toast(`위치를 가져올 수 없습니다 Cannot get your location: ${err.message}`);
    },
    { enableHighAccuracy: true, timeout: 10000, maximumAge: 30000 },
  );
}

function onMessage(msg) {
  if (msg.type === 'offers') takeOffers(msg.offers ?? []);
  else if (msg.type === 'offer' && msg.offer) {
    offers.set(msg.offer.orderId, msg.offer);
    renderNearby();
  } else if ((msg.type === 'taken' || msg.type === 'withdrawn') && offers.delete(msg.orderId))
    renderNearby();
  else if (msg.type === 'mine' && msg.delivery) takeMine([msg.delivery]);
  else if (msg.type === 'error') toast(msg.detail);
}

function renderNearby() {
  const items = [...offers.values()].sort(
    (a, b) =>
      (b.express === true) - (a.express === true) || (a.distanceKm ?? 0) - (b.distanceKm ?? 0),
  );
  const eta = options.expressEtaMinutes ?? null;
  const card = (d) => nearbyCard(d, { act, pos: () => pos, eta });
  syncList(
    el.nearby,
    items,
    (d) => d.orderId,
    card,
    (d) => `${JSON.stringify(d)}|${eta}`,
  );
  el.nearbyEmpty.hidden = items.length > 0;
  el.nearbyCount.textContent = `${items.length}건`;
}

function renderMine() {
  const all = [...mineById.values()];
  const active = all.filter((d) => ACTIVE.includes(d.status));
  const past = all.filter((d) => !ACTIVE.includes(d.status)).slice(0, 30);
  const card = (d) => mineCard(d, { act });
  syncList(el.mine, active, (d) => d.orderId, card);
  syncList(el.done, past, (d) => d.orderId, card);
  el.mineEmpty.hidden = active.length > 0;
  el.doneTitle.hidden = past.length === 0;
  el.mineCount.textContent = `${active.length}건 active`;
}

function takeMine(list) {
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
}

function takeOffers(list) {
  offers.clear();
  for (const o of list) if (o?.orderId && !mineById.has(o.orderId)) offers.set(o.orderId, o);
  renderNearby();
}

async function act(button, orderId, action, body) {
  try {
    const path = `/api/rider/deliveries/${encodeURIComponent(orderId)}/${action}`;
    const res = await busy(button, () => api(path, { method: 'POST', body: body ?? {} }));
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
