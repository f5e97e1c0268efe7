// Login page: POST /api/auth/login, keep the token, go to the page of the role, or back to the
// page the person was sent here from (?next=, e.g. a notification's link to an order).
import { api } from './http.js';
import { ROLE_PAGES, safeNext, session, takeFlash, tokenExpired } from './session.js';
import { busy } from './dom.js';

const next = safeNext(new URLSearchParams(location.search).get('next'));

/** Where a login of `role` goes: `next` if it is that role's page, else the role's own page. */
function landing(role) {
  const page = ROLE_PAGES[role];
  return next && new URL(next, location.origin).pathname === page ? next : page;
}

const existing = session.load();
if (existing && !tokenExpired(existing.token) && ROLE_PAGES[existing.role]) {
  location.replace(landing(existing.role));
}

const form = document.getElementById('login-form');
const flash = document.querySelector('[data-testid="flash"]');
const message = takeFlash();
if (message) {
  flash.textContent = message;
  flash.hidden = false;
} else if (next) {
  flash.textContent =
    '로그인하면 보시던 페이지로 이동합니다 Log in to continue to the page you opened';
  flash.hidden = false;
}

async function login(username, password) {
  const res = await api('/api/auth/login', {
    method: 'POST',
    body: { username, password },
    auth: false,
  });
  if (!res?.token || !ROLE_PAGES[res.role]) throw new Error('unexpected login answer');
  session.save({
    token: res.token,
    role: res.role,
    subject: res.subject,
    name: res.name ?? res.subject,
  });
  location.assign(landing(res.role));
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const data = new FormData(form);
  busy(form.querySelector('[type=submit]'), () =>
    login(String(data.get('username')).trim(), String(data.get('password'))),
  ).catch(() => {
    /* shown as a toast */
  });
});

for (const chip of document.querySelectorAll('[data-testid="demo-account"]')) {
  chip.addEventListener('click', () => {
    form.username.value = chip.dataset.user;
    form.password.value = chip.dataset.pass;
    form.requestSubmit();
  });
}
