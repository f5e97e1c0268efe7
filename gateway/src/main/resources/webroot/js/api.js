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

/** Back to the login page, with a message shown there. */
export function toLogin(message) {
  session.clear();
  if (message) sessionStorage.setItem(FLASH_KEY, message);
  location.replace('/');
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
    toLogin(s ? '다시 로그인해 주세요 Please log in again' : null);
    return null;
  }
  if (s.role !== role) {
    location.replace(ROLE_PAGES[s.role] ?? '/');
    return null;
  }
  return s;
}

/** An error answer of the API: `problem` is the RFC 9457 body ({type, title, status, detail, instance}). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
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
    const err = new ApiError(0, { title: 'Network error', detail: '서버에 연결할 수 없습니다 Cannot reach the server' });
    if (!quiet) toast(err.message);
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
    toLogin('세션이 만료되었습니다. 다시 로그인해 주세요 Session expired, please log in again');
    throw new ApiError(401, data);
  }
  if (!res.ok) {
    const problem = data && typeof data === 'object' ? data : { title: res.statusText, detail: `HTTP ${res.status}` };
    const err = new ApiError(res.status, problem);
    if (!quiet) toast(err.message);
    throw err;
  }
  return data;
}

// ---- toasts ----------------------------------------------------------------------------------

let toastBox;
/** Shows a message for a few seconds; kind: 'error' | 'ok' | 'info'. Click to dismiss. */
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
