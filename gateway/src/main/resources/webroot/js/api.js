// Shared helpers of the Baedal pages: session, fetch wrapper, toasts, labels, tiny DOM builder.

const SESSION_KEY = 'baedal.session';
const FLASH_KEY = 'baedal.flash';

export const ROLE_PAGES = { customer: '/customer.html', store: '/store.html', rider: '/rider.html' };

/** The login ({token, role, subject, name}) kept in sessionStorage, one per tab. */
export const session = {
  load() {
    try {
      const s = JSON.parse(sessionStorage.getItem(SESSION_KEY));
      return s && typeof s.token === 'string' ? s : null;
    } catch {
      return null;
    }
  },
  save(login) {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(login));
  },
  clear() {
    sessionStorage.removeItem(SESSION_KEY);
  },
  get token() {
    return this.load()?.token ?? null;
  },
};

/** True when the JWT's exp claim lies in the past (an unreadable token counts as valid: the server decides). */
export function tokenExpired(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), '=')));
    return typeof claims.exp === 'number' && claims.exp * 1000 < Date.now();
  } catch {
    return false;
  }
}

/** This page as a path to come back to after login (e.g. '/customer.html#/order/…'). */
export function here() {
  return location.pathname + location.search + location.hash;
}

/**
 * A path to go to after login: only a page of this site ('/…', not '//host/…'), else null. The
 * login page keeps it in its own URL (?next=), so a link opened in a new tab still ends where it
 * pointed once the person has logged in.
 */
export function safeNext(next) {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) && !/[\u0000-\u001f]/.test(next) ? next : null;
}

/** Back to the login page, with a message shown there; `next` is where to return after login. */
export function toLogin(message, next = null) {
  session.clear();
  if (message) sessionStorage.setItem(FLASH_KEY, message);
  const back = safeNext(next);
  location.replace(back && back !== '/' ? `/?next=${encodeURIComponent(back)}` : '/');
}

export function takeFlash() {
  const m = sessionStorage.getItem(FLASH_KEY);
  sessionStorage.removeItem(FLASH_KEY);
  return m;
}

/** The session when it belongs to `role`; otherwise redirects (login page or the role's own page) and returns null. */
export function guard(role) {
  const s = session.load();
  if (!s || tokenExpired(s.token)) {
    // keep where the person was going (a link from a notification), to come back after login
    toLogin(s ? '다시 로그인해 주세요 Please log in again' : null, here());
    return null;
  }
  if (s.role !== role) {
    location.replace(ROLE_PAGES[s.role] ?? '/');
    return null;
  }
  return s;
}

/**
 * An error answer of the API: `problem` is the RFC 9457 body ({type, title, status, detail,
 * instance, errors}). `messages` says it in Korean and English: one {ko, en, where} per entry of
 * `errors` (where: the pointer, header or parameter), else one for the detail.
 */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.messages = problemMessages(status, problem);
  }
}

// ---- problems in Korean and English ------------------------------------------------------------

/** Korean names of the fields, headers and parameters the API names in `errors`. */
const FIELD_KO = [
  [/^\/items\/(\d+)\/quantity$/, (m) => `메뉴 ${Number(m[1]) + 1}의 수량`],
  [/^\/items\/(\d+)\/menuId$/, (m) => `메뉴 ${Number(m[1]) + 1}`],
  [/^\/items\/(\d+)$/, (m) => `메뉴 ${Number(m[1]) + 1}`],
  [/^\/items$/, () => '메뉴 목록'],
  [/^\/storeId$/, () => '가게'],
  [/^\/deliveryAddress$/, () => '배달 주소'],
  [/^\/deliveryAddress\/text$/, () => '배달 주소'],
  [/^\/deliveryAddress\/lat$/, () => '배달 위치의 위도'],
  [/^\/deliveryAddress\/lng$/, () => '배달 위치의 경도'],
  [/^\/deliveryAddress\/phone$/, () => '연락처'],
  [/^\/express$/, () => '급송 여부'],
  [/^\/payment$/, () => '결제 정보'],
  [/^\/payment\/method$/, () => '결제 수단'],
  [/^\/payment\/cardNumber$/, () => '카드 번호'],
  [/^\/username$/, () => '아이디'],
  [/^\/password$/, () => '비밀번호'],
  [/^\/reason$/, () => '사유'],
  [/^\/open$/, () => '영업 여부'],
  [/^\/lat$/, () => '내 위치의 위도'],
  [/^\/lng$/, () => '내 위치의 경도'],
  [/^$/, () => '요청 내용'],
];
const NAMED_KO = {
  'header:Idempotency-Key': '주문 키(Idempotency-Key)',
  'header:Authorization': '로그인 정보',
  'parameter:lat': '위도',
  'parameter:lng': '경도',
  'parameter:status': '상태',
  'parameter:orderId': '주문 번호',
  'parameter:storeId': '가게',
};

/**
 * The Korean particle after `word`: josa('카드 번호', '은는') is '는'... as Korean writes it, by
 * whether the word's last syllable ends in a consonant; '은(는)' after anything that is not Hangul.
 */
export function josa(word, pair) {
  const [withFinal, withoutFinal] = [...pair];
  // what is read last: '주문 키(Idempotency-Key)' is read '키', '메뉴 1' is read '메뉴 일'
  const last = String(word).trim().replace(/\s*\([^)]*\)$/, '').slice(-1);
  if (/[0-9]/.test(last)) return '0136780'.includes(last) ? withFinal : withoutFinal;
  const code = last.charCodeAt(0) - 0xac00;
  if (!(code >= 0 && code <= 11171)) return `${withFinal}(${withoutFinal})`;
  return code % 28 === 0 ? withoutFinal : withFinal;
}

/** Korean for the details of the API's vocabulary (docs/api.md lists it); `w` is what it is about. */
const DETAIL_KO = [
  [/^is required$/, (m, w) => `${w}${josa(w, '을를')} 입력해 주세요`],
  [/^is not valid JSON$/, (m, w) => `${w}${josa(w, '이가')} 올바른 JSON이 아닙니다`],
  [/^must not be empty$/, (m, w) => `${w}${josa(w, '이가')} 비어 있습니다`],
  [/^must not be blank$/, (m, w) => `${w}${josa(w, '이가')} 비어 있습니다`],
  [/^must be a string$/, (m, w) => `${w}${josa(w, '은는')} 문자여야 합니다`],
  [/^must be a number$/, (m, w) => `${w}${josa(w, '은는')} 숫자여야 합니다`],
  [/^must be an integer$/, (m, w) => `${w}${josa(w, '은는')} 정수여야 합니다`],
  [/^must be true or false$/, (m, w) => `${w}${josa(w, '은는')} 예 또는 아니오(true/false)여야 합니다`],
  [/^must be an object$/, (m, w) => `${w}의 형식이 올바르지 않습니다`],
  [/^must be an array$/, (m, w) => `${w}${josa(w, '은는')} 목록이어야 합니다`],
  [/^must be 16 digits that pass the Luhn check$/, (m, w) => `${w}${josa(w, '은는')} 올바른 16자리 숫자여야 합니다`],
  [/^must be a phone number$/, (m, w) => `${w}${josa(w, '이가')} 전화번호 형식이 아닙니다`],
  [/^must be between (\S+) and (\S+)$/, (m, w) => `${w}${josa(w, '은는')} ${m[1]}에서 ${m[2]} 사이여야 합니다`],
  [/^must be at least (\S+) characters long$/, (m, w) => `${w}${josa(w, '은는')} ${m[1]}자 이상이어야 합니다`],
  [/^must be at most (\S+) characters long$/, (m, w) => `${w}${josa(w, '은는')} ${m[1]}자 이하여야 합니다`],
  [/^must be at least (\S+)$/, (m, w) => `${w}${josa(w, '은는')} ${m[1]} 이상이어야 합니다`],
  [/^must be at most (\S+) KiB$/, (m, w) => `${w}${josa(w, '은는')} ${m[1]} KiB 이하여야 합니다`],
  [/^must be at most (\S+)$/, (m, w) => `${w}${josa(w, '은는')} ${m[1]} 이하여야 합니다`],
  [/^must have at least (\S+) entries$/, (m, w) => `${w}${josa(w, '은는')} ${m[1]}개 이상이어야 합니다`],
  [/^must have at most (\S+) entries$/, (m, w) => `${w}${josa(w, '은는')} ${m[1]}개 이하여야 합니다`],
  [/^must be one of: (.*)$/, (m, w) => `${w}${josa(w, '은는')} 다음 중 하나여야 합니다: ${m[1]}`],
  [/^is not a store$/, (m, w) => `${w}${josa(w, '이가')} 없는 가게입니다`],
  [/^is closed$/, (m, w) => `${w}${josa(w, '이가')} 지금 영업하지 않습니다`],
  [/^is not a menu item$/, (m, w) => `${w}${josa(w, '은는')} 없는 메뉴입니다`],
  [/^is not sold by this store$/, (m, w) => `${w}${josa(w, '은는')} 이 가게의 메뉴가 아닙니다`],
  [/^was already used for a different order$/, (m, w) => `${w}${josa(w, '이가')} 이미 다른 주문에 쓰였습니다`],
  [/^must not contain control characters$/, (m, w) => `${w}에 제어 문자를 쓸 수 없습니다`],
];

/** Korean for the problems users meet most, by their detail (else by status, below). */
const PROBLEM_KO = [
  [/wrong username or password/, () => '아이디 또는 비밀번호가 틀렸습니다'],
  [/^payment declined/, () => '카드 결제가 거절되었습니다'],
  [/payment is busy/, () => '결제가 지연되고 있습니다. 잠시 후 다시 시도해 주세요'],
  [/we are busy/, () => '주문이 많아 바쁩니다. 잠시 후 다시 시도해 주세요'],
  [/too many failed logins/i, () => '로그인 실패가 너무 많습니다. 잠시 후 다시 시도해 주세요'],
  [/is closed and takes no orders now/, () => '가게가 지금 영업하지 않아 주문할 수 없습니다'],
  [/can no longer be cancelled/, () => '조리가 시작되어 취소할 수 없습니다'],
  [/can no longer be changed/, () => '조리가 시작되어 변경할 수 없습니다'],
  [/still being decided/, () => '앞선 변경을 가게에서 확인하고 있습니다. 잠시 후 다시 시도해 주세요'],
  [/claimed delivery .* first/, () => '다른 라이더가 먼저 배차를 받았습니다'],
  [/an express delivery needs a rider whose whole trip takes at most (\d+) minutes; yours takes (\d+)/, (m) => `급송은 전체 이동이 ${m[1]}분 이내인 라이더만 받을 수 있어요 (지금 ${m[2]}분)`],
  [/this delivery is for riders within (\S+) km of the store; you are (\S+) km away/, (m) => `가게에서 ${m[1]}km 이내 라이더만 받을 수 있어요 (지금 ${m[2]}km)`],
  [/is still cooking/, () => '아직 조리 중이라 픽업할 수 없습니다'],
  [/did not answer in time/, () => '서버 응답이 늦습니다. 잠시 후 다시 시도해 주세요'],
];

/** Korean messages by status, for problems without `errors`. */
const STATUS_KO = {
  401: '로그인이 필요합니다',
  402: '결제가 거절되었습니다',
  403: '권한이 없습니다',
  404: '찾을 수 없습니다',
  409: '지금 상태에서는 할 수 없습니다',
  422: '처리할 수 없는 요청입니다',
  429: '시도가 너무 많습니다. 잠시 후 다시 시도해 주세요',
  503: '지금 바쁩니다. 잠시 후 다시 시도해 주세요',
};

function whereOf(entry) {
  if (typeof entry?.pointer === 'string') return { kind: 'pointer', name: entry.pointer };
  if (typeof entry?.header === 'string') return { kind: 'header', name: entry.header };
  if (typeof entry?.parameter === 'string') return { kind: 'parameter', name: entry.parameter };
  return null;
}

/** "items[0].quantity" for a pointer, "the Idempotency-Key header", "the parameter lat". */
function whereEn(w) {
  if (w.kind === 'header') return `the ${w.name} header`;
  if (w.kind === 'parameter') return `the parameter ${w.name}`;
  if (w.name === '') return 'the request body';
  return w.name.slice(1).split('/').reduce((out, seg) => (/^\d+$/.test(seg) ? `${out}[${seg}]` : out ? `${out}.${seg}` : seg), '');
}

function whereKo(w) {
  const named = NAMED_KO[`${w.kind}:${w.name}`];
  if (named) return named;
  if (w.kind === 'pointer') {
    for (const [re, f] of FIELD_KO) {
      const m = w.name.match(re);
      if (m) return f(m);
    }
  }
  return whereEn(w);
}

/** One entry of `errors` as {ko, en, where}. */
export function violationMessage(entry) {
  const w = whereOf(entry) ?? { kind: 'pointer', name: '' };
  const detail = String(entry?.detail ?? '');
  let ko = null;
  const subject = whereKo(w);
  for (const [re, f] of DETAIL_KO) {
    const m = detail.match(re);
    if (m) {
      ko = f(m, subject);
      break;
    }
  }
  return { ko: ko ?? `${subject}: ${detail}`, en: `${whereEn(w)} ${detail}`, where: w };
}

/** A problem in Korean and English: [{ko, en, where}]. */
export function problemMessages(status, problem) {
  const errors = Array.isArray(problem?.errors) ? problem.errors : [];
  if (errors.length) return errors.map(violationMessage);
  const en = problem?.detail || problem?.title || `HTTP ${status}`;
  for (const [re, f] of PROBLEM_KO) {
    const m = String(en).match(re);
    if (m) return [{ ko: f(m), en, where: null }];
  }
  return [{ ko: STATUS_KO[status] ?? '요청을 처리하지 못했습니다', en, where: null }];
}

/** A toast's content for an error: each message in Korean, its English below. */
export function bilingual(messages) {
  return messages.map((m) => h('div', { class: 'msg', testid: 'problem-message' }, h('span', { class: 'ko' }, m.ko), h('span', { class: 'en' }, m.en)));
}

/**
 * fetch against the same origin with the bearer token and JSON bodies. Resolves to the parsed JSON
 * (or null); rejects with ApiError. Problem details are shown in a toast unless `quiet`; a 401
 * always goes back to the login page.
 */
export async function api(path, { method = 'GET', body, headers = {}, quiet = false, auth = true } = {}) {
  const h = { Accept: 'application/json, application/problem+json', ...headers };
  const token = session.token;
  if (auth && token) h.Authorization = `Bearer ${token}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch (e) {
    const err = new ApiError(0, { title: 'Network error', detail: 'Cannot reach the server' });
    err.messages = [{ ko: '서버에 연결할 수 없습니다', en: 'Cannot reach the server', where: null }];
    if (!quiet) toast(bilingual(err.messages));
    throw err;
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = res.ok ? text : { title: res.statusText, detail: text.slice(0, 300) };
    }
  }
  if (res.status === 401 && auth) {
    toLogin('세션이 만료되었습니다. 다시 로그인해 주세요 Session expired, please log in again', here());
    throw new ApiError(401, data);
  }
  if (!res.ok) {
    const problem = data && typeof data === 'object' ? data : { title: res.statusText, detail: `HTTP ${res.status}` };
    const err = new ApiError(res.status, problem);
    if (!quiet) toast(bilingual(err.messages));
    throw err;
  }
  return data;
}

// ---- toasts ----------------------------------------------------------------------------------

let toastBox;
/** Shows a message (text or nodes) for a few seconds; kind: 'error' | 'ok' | 'info'. Click to dismiss. */
export function toast(message, kind = 'error', ms = 5000) {
  if (!toastBox) {
    toastBox = h('div', { class: 'toasts', testid: 'toasts', 'aria-live': 'polite' });
    document.body.append(toastBox);
  }
  const t = h('div', { class: 'toast', testid: 'toast', role: kind === 'error' ? 'alert' : 'status', dataset: { kind } }, message);
  t.addEventListener('click', () => t.remove());
  toastBox.append(t);
  while (toastBox.children.length > 4) toastBox.firstChild.remove();
  setTimeout(() => t.remove(), ms);
}

// ---- formatting ------------------------------------------------------------------------------

/** 18000 -> "18,000원" */
export function won(n) {
  const v = Number(n);
  if (n == null || !Number.isFinite(v)) return '—';
  const sign = v < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(v))).replace(/\B(?=(\d{3})+(?!\d))/g, ',') + '원';
}

export function fmtTime(iso) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return '';
  return d.toLocaleTimeString('ko-KR', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

export function shortId(id) {
  return id ? String(id).slice(0, 8) : '—';
}

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
  return h('span', { class: `badge ${tone}`, dataset: { status: status ?? '' }, ...extra }, l ? [l[0], ' ', h('span', { class: 'en' }, l[1])] : String(status ?? '—'));
}

/** Korean + English label: ko('주문하기', 'Order') -> [주문하기 <span class=en>Order</span>] */
export function ko(korean, english) {
  return [korean, ' ', h('span', { class: 'en' }, english)];
}

// ---- DOM -------------------------------------------------------------------------------------

/** h('button', {class, testid, dataset, onClick, disabled}, ...children): text children are escaped. */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'testid') el.dataset.testid = v;
    else if (k === 'dataset') for (const [dk, dv] of Object.entries(v)) { if (dv != null) el.dataset[dk] = dv; }
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (typeof v === 'boolean' || k === 'value') el[k] = v;
    else el.setAttribute(k, v);
  }
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/**
 * Keyed list rendering: children whose signature did not change are kept as they are (so buttons
 * under the pointer survive a refresh), changed ones are replaced, missing ones removed.
 */
export function syncList(container, items, keyOf, render, signatureOf = (item) => JSON.stringify(item)) {
  const existing = new Map();
  for (const child of [...container.children]) {
    if (child.dataset.key) existing.set(child.dataset.key, child);
    else child.remove();
  }
  let prev = null;
  for (const item of items) {
    const key = String(keyOf(item));
    const sig = signatureOf(item);
    let el = existing.get(key);
    existing.delete(key);
    if (!el || el._sig !== sig) {
      const fresh = render(item);
      fresh.dataset.key = key;
      fresh._sig = sig;
      if (el) el.replaceWith(fresh);
      el = fresh;
    }
    const want = prev ? prev.nextSibling : container.firstChild;
    if (want !== el) container.insertBefore(el, want);
    prev = el;
  }
  for (const el of existing.values()) el.remove();
}

/** Disables a button while `work` runs. */
export async function busy(button, work) {
  if (button.disabled) return undefined;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

/** A random UUID, also where crypto.randomUUID is missing (plain http on a LAN address). */
export function uuid() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map((v) => v.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export const LOGO_SVG =
  '<svg viewBox="0 0 48 48" aria-hidden="true"><circle cx="24" cy="24" r="22" fill="#fff"/>' +
  '<path d="M12 27h17l4-9h5" fill="none" stroke="#2ac1bc" stroke-width="3.2" stroke-linecap="round" stroke-linejoin="round"/>' +
  '<circle cx="16" cy="32" r="3.4" fill="#119e99"/><circle cx="33" cy="32" r="3.4" fill="#119e99"/>' +
  '<rect x="13" y="16" width="11" height="8" rx="2" fill="#2ac1bc"/></svg>';

/** The mint top bar: logo, page title, who is logged in, logout. */
export function topbar(me, title) {
  const brand = h('div', { class: 'brand' });
  brand.innerHTML = LOGO_SVG;
  const [titleKo, ...titleEn] = String(title).split(' ');
  brand.append(h('span', null, '배달 ', h('span', { class: 'title' }, titleKo, ' ', h('span', { class: 'en', style: 'color:inherit' }, titleEn.join(' ')))));
  const bar = h(
    'header',
    { class: 'topbar' },
    brand,
    h('div', { class: 'who', testid: 'whoami' }, me.name || me.subject),
    h('button', { class: 'btn small', testid: 'logout', type: 'button', onClick: () => toLogin(null) }, '로그아웃 ', h('span', { class: 'en', style: 'color:inherit' }, 'Logout')),
  );
  document.body.prepend(bar);
  return bar;
}
