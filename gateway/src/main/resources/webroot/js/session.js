// The login kept in this tab (sessionStorage), the way back to the login page, and the guard that
// sends a page's visitor to the page of their role.

const SESSION_KEY = 'baedal.session';
const FLASH_KEY = 'baedal.flash';

export const ROLE_PAGES = {
  customer: '/customer.html',
  store: '/store.html',
  rider: '/rider.html',
};

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
  // eslint-disable-next-line no-control-regex -- a control character in the path is refused
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) && !/[\u0000-\u001f]/.test(next)
    ? next
    : null;
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
