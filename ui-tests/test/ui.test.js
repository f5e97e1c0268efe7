// The web UI in a real browser: a customer, a store owner and a rider, each in their own browser
// context, take one order from placing to receipt; the customer's page follows every status live.
// Then what people meet on a phone (390×844) and on a desktop: choosing an address without
// coordinates, the express promise, errors in Korean and English, Korean and English names, the
// messages received, the link of a notification opened in a new tab, and layouts that fit.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { startDevProxy } from '../lib/dev-proxy.js';
import { REPO, startSystem } from '../lib/system.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = path.resolve(
  process.env.UI_SCREENSHOTS_DIR ?? path.join(REPO, 'target/ui-screenshots'),
);
const WEBROOT = path.join(REPO, 'gateway/src/main/resources/webroot');
const STEP_MS = Number(process.env.UI_STEP_TIMEOUT_MS ?? 15_000); // the longest wait for one visible change
const PHONE = { width: 390, height: 844 };
const TABLET = { width: 1100, height: 820 };
const DESKTOP = { width: 1280, height: 800 };
const GANGNAM_STATION = { latitude: 37.4979, longitude: 127.0276 }; // where the customer's device says it is

let system;
let proxy;
let browser;
let base;

before(
  async () => {
    system = await startSystem();
    base = system.url;
    if (process.env.BAEDAL_UI_FROM_SOURCE) {
      proxy = await startDevProxy({ webroot: WEBROOT, backend: base });
      base = proxy.url;
      console.log(
        `# BAEDAL_UI_FROM_SOURCE: pages from ${WEBROOT} at ${base}, API from ${system.url}`,
      );
    } else {
      const res = await fetch(`${base}/`);
      const html = await res.text();
      assert.ok(
        res.ok && html.includes('data-testid="login-form"'),
        `the gateway does not serve the web UI at ${base}/ (HTTP ${res.status}); ` +
          'rebuild the jar with the webroot served, or set BAEDAL_UI_FROM_SOURCE=1 to serve it from the source tree',
      );
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // playwright gives every launch a fresh temporary user data dir and removes it on close
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    await mkdir(SHOTS, { recursive: true });
    for (const name of ['customer', 'store', 'rider']) {
      for (const prefix of ['', 'phone-', 'desktop-'])
        await rm(path.join(SHOTS, `${prefix}${name}-failure.png`), { force: true });
    }
  },
  { timeout: 420_000 },
);

after(async () => {
  await browser?.close().catch(() => {});
  await proxy?.close().catch(() => {});
  await system?.stop();
});

/** A page in its own browser context (own cookies and sessionStorage), with uncaught errors collected. */
async function openPage(name, viewport, options = {}) {
  const context = await browser.newContext({
    baseURL: base,
    viewport,
    locale: 'ko-KR',
    timezoneId: 'Asia/Seoul',
    ...options,
  });
  context.setDefaultTimeout(STEP_MS);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(`${name}: ${e.message}`));
  if (process.env.UI_DEBUG)
    page.on('console', (m) => console.log(`# [${name}] ${m.type()}: ${m.text()}`));
  return page;
}

async function login(page, username, landing) {
  await page.goto('/');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(`${username}-pass`);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(`**${landing}*`);
  // a marker that only survives if the page is never reloaded from now on
  await page.evaluate(() => {
    window.__uiTestMarker = 'same-document';
  });
}

const sameDocument = (page) => page.evaluate(() => window.__uiTestMarker === 'same-document');
const cardSelector = (testid, orderId) => `[data-testid="${testid}"][data-order-id="${orderId}"]`;
const card = (page, testid, orderId) => page.locator(cardSelector(testid, orderId));

/** The page's WebSockets (paths) and its GET requests to the API (paths without query). */
function watchTraffic(page) {
  const seen = { sockets: [], gets: [] };
  page.on('websocket', (ws) => seen.sockets.push(new URL(ws.url()).pathname));
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (r.method() === 'GET' && url.pathname.startsWith('/api/')) seen.gets.push(url.pathname);
  });
  seen.reads = (path) => seen.gets.filter((p) => p === path).length;
  return seen;
}

/** Waits until the customer's status element shows `status` (no reload, no fixed sleep). */
async function customerSees(page, status) {
  await page.waitForFunction(
    (s) => document.querySelector('[data-testid="order-status"]')?.dataset.status === s,
    status,
    { timeout: STEP_MS },
  );
}

/** Waits until the element matching `selector` (it may be re-rendered meanwhile) has attr = value. */
async function waitForAttr(page, selector, attr, value) {
  await page.waitForFunction(
    ([sel, a, v]) => document.querySelector(sel)?.getAttribute(a) === v,
    [selector, attr, value],
    { timeout: STEP_MS },
  );
}

async function screenshots(pages, { suffix = '', clean = true } = {}) {
  for (const [name, page] of Object.entries(pages)) {
    if (!page || page.isClosed()) continue;
    const file = path.join(SHOTS, `${name}${suffix}.png`);
    await page
      .evaluate((removeToasts) => {
        window.scrollTo(0, 0); // keeps the sticky top bar at the top of a full-page shot
        if (removeToasts)
          document.querySelectorAll('[data-testid="toast"]').forEach((t) => t.remove());
      }, clean)
      .catch(() => {});
    await page
      .screenshot({ path: file, fullPage: true })
      .catch((e) => console.log(`# screenshot ${file} failed: ${e.message}`));
  }
}

// ---- the API, for what the scenario sets up around the pages -----------------------------------

async function apiLogin(username) {
  const res = await fetch(`${system.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: `${username}-pass` }),
  });
  assert.equal(res.status, 200, `login ${username}`);
  return (await res.json()).token;
}

async function call(token, method, path, body, headers = {}) {
  const res = await fetch(`${system.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

/** Repeats a store or rider command until its context knows the order (no fixed sleep). */
async function untilOk(action, what) {
  const until = Date.now() + STEP_MS;
  for (;;) {
    const r = await action();
    if (r.status === 200) return r;
    if (Date.now() > until) assert.fail(`${what}: ${r.status} ${JSON.stringify(r.json)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The link of the order's first notification, as the notifier delivered it. */
async function notificationLink(orderId) {
  if (!system.notifier || !system.outbox) {
    console.log('# the notifier does not run here: using the link format notify-verticle builds');
    return `${system.url}/customer.html#/order/${orderId}`;
  }
  const until = Date.now() + 4 * STEP_MS;
  for (;;) {
    const text = await readFile(system.outbox, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      if (!line.includes(orderId)) continue;
      const n = JSON.parse(line);
      if (n.orderId === orderId && n.buttons?.[0]?.url) return n.buttons[0].url;
    }
    if (Date.now() > until) assert.fail(`no notification for ${orderId} in ${system.outbox}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The same path and fragment at the address the test's pages use (a proxy may stand in front). */
const atBase = (url) => {
  const u = new URL(url);
  return `${base}${u.pathname}${u.search}${u.hash}`;
};

/** The top bar keeps its English labels, and nothing in it runs off the screen. */
async function headerFits(page) {
  return page.evaluate(() => {
    const bar = document.querySelector('.topbar');
    const en = [...bar.querySelectorAll('.en')];
    const shown = (e) => {
      const r = e.getBoundingClientRect();
      return (
        r.width > 0 &&
        r.height > 0 &&
        getComputedStyle(e).display !== 'none' &&
        getComputedStyle(e).visibility !== 'hidden' &&
        r.left >= -0.5 &&
        r.right <= innerWidth + 0.5
      );
    };
    return {
      english: en.length,
      allShown: en.every(shown),
      hidden: en.filter((e) => !shown(e)).map((e) => e.textContent),
      overflow:
        bar.scrollWidth > bar.clientWidth + 1 ||
        document.documentElement.scrollWidth > innerWidth + 1,
    };
  });
}

/** The store's filter tabs: all inside the screen, none cut off, no sideways scrolling. */
async function tabsFit(page) {
  return page.evaluate(() => {
    const tabs = document.querySelector('[role="tablist"]');
    const inside = [...tabs.querySelectorAll('button')].every((b) => {
      const r = b.getBoundingClientRect();
      return r.left >= -0.5 && r.right <= innerWidth + 0.5 && b.scrollWidth <= b.clientWidth + 1;
    });
    return {
      inside,
      scrolls: tabs.scrollWidth > tabs.clientWidth + 1,
      count: tabs.querySelectorAll('button').length,
    };
  });
}

const text = async (locator) => (await locator.textContent()).replace(/\s+/g, ' ').trim();

/**
 * Points 5–10 of what users met, at one screen size: a customer chooses the address without
 * typing coordinates, sees what express means and costs, gets a refused card explained in Korean
 * and English, orders, changes the items; the store owner and the rider see Korean and English
 * names, the rider's delivery under way above the offers, with the trip and the express promise;
 * the customer reads the messages received; a notification's link opened in a new tab leads
 * through the login to the order.
 */
async function whatUsersMeet(viewport, size) {
  const customer = await openPage('customer', viewport, {
    geolocation: GANGNAM_STATION,
    permissions: ['geolocation'],
  });
  const store = await openPage('store', viewport);
  const rider = await openPage('rider', viewport);
  const pages = { customer, store, rider };
  const shots = {};
  try {
    await Promise.all([
      login(customer, 'kim', '/customer.html'),
      login(store, 'store-1', '/store.html'),
      login(rider, 'rider-1', '/rider.html'),
    ]);
    await store.getByTestId('store-live').and(store.locator('[data-mode="live"]')).waitFor();
    await rider.getByTestId('rider-live').and(rider.locator('[data-mode="live"]')).waitFor();

    // 9: every page keeps its English labels in the top bar, and the store's tabs fit the screen
    for (const [name, page] of Object.entries(pages)) {
      const fit = await headerFits(page);
      assert.ok(
        fit.english >= 2 && fit.allShown && !fit.overflow,
        `${name} top bar at ${size}: ${JSON.stringify(fit)}`,
      );
    }
    const tabs = await tabsFit(store);
    assert.deepEqual(tabs, { inside: true, scrolls: false, count: 3 }, `store tabs at ${size}`);

    // 7: an address without typing coordinates: a district, the device's position, a saved one
    await customer.locator('[data-testid="store-card"][data-store-id="store-1"]').click();
    const picker = customer.getByTestId('district-picker');
    await picker.locator('option[value="Mapo-gu"]').waitFor({ state: 'attached' });
    assert.equal(await picker.locator('option').count(), 26, 'the 25 districts and "choose"');
    await picker.selectOption('Mapo-gu');
    assert.equal(await customer.getByTestId('address').inputValue(), '서울 마포구');
    assert.match(
      await text(customer.getByTestId('address-coords')),
      /마포구 Mapo-gu · 37\.5593, 126\.9084/,
    );
    await customer.getByTestId('use-location').click();
    await customer.waitForFunction(() =>
      document.querySelector('[data-testid="address"]').value.includes('(현재 위치)'),
    );
    assert.match(await text(customer.getByTestId('address-coords')), /37\.4979, 127\.0276/);
    await customer.getByTestId('address').fill('서울 강남구 강남대로 396');
    await customer.getByTestId('save-address').click();
    await customer
      .getByTestId('saved-address')
      .filter({ hasText: '서울 강남구 강남대로 396' })
      .waitFor();
    await customer.reload(); // saved in this browser: still there on the next visit
    await customer
      .getByTestId('district-picker')
      .locator('option[value="Mapo-gu"]')
      .waitFor({ state: 'attached' });
    await customer.getByTestId('district-picker').selectOption('Mapo-gu');
    await customer
      .getByTestId('saved-address')
      .filter({ hasText: '서울 강남구 강남대로 396' })
      .locator('.chip-main')
      .click();
    assert.equal(await customer.getByTestId('address').inputValue(), '서울 강남구 강남대로 396');
    assert.match(await text(customer.getByTestId('address-coords')), /37\.4979, 127\.0276/);
    assert.equal(
      await customer.getByTestId('coords-details').getAttribute('open'),
      null,
      'coordinates stay folded away',
    );

    // 1: what express means and what it costs
    const chicken = customer.locator('[data-testid="menu-item"][data-menu-id="chicken-fried"]');
    await chicken.getByTestId('qty-plus').click();
    await customer.getByTestId('express').check();
    const promise = await text(customer.getByTestId('express-info'));
    assert.match(promise, /15분/);
    assert.match(promise, /3,000원/);
    assert.match(promise, /whole trip, to the store and then to you, takes 15 minutes or less/);
    assert.equal(await customer.getByTestId('order-total').textContent(), '23,000원');

    // 10: a refused card is explained in Korean and English, where it is
    await customer.getByTestId('card-number').fill('1234');
    await customer.getByTestId('place-order').click();
    const cardError = customer.locator(
      '[data-testid="form-error"][data-where="pointer:/payment/cardNumber"]',
    );
    await cardError.waitFor();
    const cardText = await text(cardError);
    assert.match(cardText, /카드 번호.*16자리/);
    assert.match(cardText, /payment\.cardNumber must be 16 digits that pass the Luhn check/);
    assert.equal(await customer.getByTestId('card-number').getAttribute('aria-invalid'), 'true');
    await screenshots({ [`${size}-customer-checkout`]: customer }, { clean: false });
    await customer.getByTestId('card-number').fill('4242424242424242');
    await customer.getByTestId('place-order').click();
    const orderView = customer.getByTestId('order-view');
    await orderView.waitFor();
    const orderId = await orderView.getAttribute('data-order-id');
    await customerSees(customer, 'PAID');

    // 8 and 1: Korean and English names in the order view, and the express promise
    await customer
      .getByTestId('order-store')
      .filter({ hasText: '한옥치킨' })
      .filter({ hasText: 'Hanok Chicken' })
      .waitFor();
    await customer
      .getByTestId('order-item')
      .filter({ hasText: '후라이드 치킨' })
      .filter({ hasText: 'Fried Chicken' })
      .waitFor();
    assert.match(await text(customer.getByTestId('order-express-promise')), /15분.*15 minutes/);

    // a second order, over the API, so that the rider has an offer while a delivery is under way
    const [kimToken, storeToken] = await Promise.all([apiLogin('kim'), apiLogin('store-1')]);
    const second = await call(
      kimToken,
      'POST',
      '/api/orders',
      {
        storeId: 'store-1',
        items: [{ menuId: 'chicken-yangnyeom', quantity: 1 }],
        deliveryAddress: { text: '서울 강남구 테헤란로 152', lat: 37.5006, lng: 127.0364 },
        express: false,
        payment: { method: 'CARD', cardNumber: '4242424242424242' },
      },
      { 'Idempotency-Key': randomUUID() },
    );
    assert.equal(second.status, 201, JSON.stringify(second.json));
    const secondId = second.json.orderId;

    // 8: the store sees the items in Korean and English
    const storeOrderSel = cardSelector('store-order', orderId);
    await waitForAttr(store, storeOrderSel, 'data-status', 'NEW');
    await card(store, 'store-order', orderId)
      .getByTestId('store-order-item')
      .filter({ hasText: '후라이드 치킨' })
      .filter({ hasText: 'Fried Chicken' })
      .waitFor();

    // 4: the customer changes the items before the store accepts: a timeline entry, a message
    await customer.getByTestId('modify-order').click();
    const editor = customer.getByTestId('modify-editor');
    await editor
      .locator('[data-testid="menu-item"][data-menu-id="cola"]')
      .getByTestId('qty-plus')
      .click();
    await editor.getByTestId('modify-submit').click();
    await customer.locator('[data-testid="timeline-change"][data-event="ITEMS_CHANGED"]').waitFor();
    await customer.getByTestId('order-item').filter({ hasText: '콜라 1.25L' }).waitFor();

    const storeOrder = card(store, 'store-order', orderId);
    await storeOrder.getByTestId('store-order-item').filter({ hasText: '콜라 1.25L' }).waitFor();
    await storeOrder.getByTestId('accept').click();
    await customerSees(customer, 'ACCEPTED');
    await waitForAttr(store, storeOrderSel, 'data-status', 'ACCEPTED');
    await storeOrder.getByTestId('start-cooking').click();
    await customerSees(customer, 'COOKING');
    await untilOk(
      () => call(storeToken, 'POST', `/api/store/orders/${secondId}/accept`),
      'accept the second order',
    );
    await untilOk(
      () => call(storeToken, 'POST', `/api/store/orders/${secondId}/start-cooking`),
      'cook the second order',
    );

    // 1 and 8: the rider's offer: the store's names, the distance to it, the whole trip, express
    const offer = card(rider, 'nearby-delivery', orderId);
    await offer.waitFor();
    assert.match(await text(offer.getByTestId('offer-store')), /한옥치킨 Hanok Chicken/);
    assert.match(await text(offer.getByTestId('distance')), /가게까지 to the store \d+\.\d\d km/);
    assert.match(await text(offer.getByTestId('eta')), /전체 whole trip \d+분 min/);
    await offer.getByTestId('express-badge').waitFor();
    assert.match(await text(offer.getByTestId('express-promise')), /15분 이내.*15 min or less/);
    await offer.getByTestId('claim').click();
    await customerSees(customer, 'RIDER_ASSIGNED');
    const mine = card(rider, 'my-delivery', orderId);
    await waitForAttr(rider, cardSelector('my-delivery', orderId), 'data-status', 'ASSIGNED');
    assert.match(await text(mine.getByTestId('my-delivery-store')), /한옥치킨 Hanok Chicken/);

    // 9: the delivery under way comes before the offers
    const other = card(rider, 'nearby-delivery', secondId);
    await other.waitFor();
    const [mineBox, offerBox, nearbyTitle] = await Promise.all([
      mine.boundingBox(),
      other.boundingBox(),
      rider.getByTestId('nearby-title').boundingBox(),
    ]);
    assert.ok(
      mineBox.y < nearbyTitle.y && nearbyTitle.y < offerBox.y,
      `under way (${mineBox.y}) above the offers (${nearbyTitle.y}, ${offerBox.y})`,
    );

    // 6: the messages the customer received, as text, not template codes
    await customer.waitForFunction(
      () => document.querySelectorAll('[data-testid="notification-text"]').length >= 3,
      null,
      { timeout: 4 * STEP_MS },
    );
    const panel = await text(customer.getByTestId('order-notifications'));
    assert.match(panel, /\[배달\] .*한옥치킨/);
    assert.match(panel, /\[Baedal\] .*Hanok Chicken/);
    assert.doesNotMatch(panel, /order_paid|order_modified|· kakao ·/);
    await customer.getByTestId('notification').filter({ hasText: '콜라' }).first().waitFor(); // the change's message

    Object.assign(shots, {
      [`${size}-customer-order`]: customer,
      [`${size}-store`]: store,
      [`${size}-rider`]: rider,
    });
    await screenshots(shots);

    // 5: the notification's link, opened in a new tab, goes through the login to the order
    const link = await notificationLink(orderId);
    assert.match(link, new RegExp(`/customer\\.html#/order/${orderId}$`));
    for (const url of [atBase(link), `${base}/customer.html?order=${orderId}`]) {
      const tab = await openPage('link', viewport);
      try {
        await tab.goto(url);
        await tab.waitForURL(/\/\?next=/);
        await tab.getByTestId('flash').waitFor();
        if (url === atBase(link)) await screenshots({ [`${size}-login-from-link`]: tab });
        await tab.getByTestId('login-username').fill('kim');
        await tab.getByTestId('login-password').fill('kim-pass');
        await tab.getByTestId('login-submit').click();
        await tab.locator(`[data-testid="order-view"][data-order-id="${orderId}"]`).waitFor();
        await tab.waitForFunction(
          () =>
            document.querySelector('[data-testid="order-status"]')?.dataset.status ===
            'RIDER_ASSIGNED',
        );
        assert.deepEqual(tab.errors, []);
      } finally {
        await tab.context().close();
      }
    }
    assert.deepEqual(
      [...customer.errors, ...store.errors, ...rider.errors],
      [],
      'uncaught errors in the pages',
    );
  } catch (e) {
    await screenshots(
      Object.fromEntries(Object.entries(pages).map(([n, p]) => [`${size}-${n}-failure`, p])),
      { clean: false },
    );
    console.log(
      `# baedal dev output (last lines):\n${(await system.logTail(40)).replace(/^/gm, '#   ')}`,
    );
    throw e;
  } finally {
    await Promise.all(
      Object.values(pages).map((p) =>
        p
          .context()
          .close()
          .catch(() => {}),
      ),
    );
  }
}

describe('Baedal web UI in Chromium', () => {
  it(
    'a wrong password shows the problem detail of the API in a toast',
    { timeout: 30_000 },
    async () => {
      const res = await fetch(`${system.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'kim', password: 'not-kims' }),
      });
      assert.equal(res.status, 401);
      const problem = await res.json();
      const page = await openPage('login', PHONE);
      try {
        await page.goto('/');
        await page.getByTestId('login-username').fill('kim');
        await page.getByTestId('login-password').fill('not-kims');
        await page.getByTestId('login-submit').click();
        const toast = page.getByTestId('toast').filter({ hasText: problem.detail });
        await toast.waitFor();
        assert.equal(new URL(page.url()).pathname, '/');
        assert.deepEqual(page.errors, []);
      } finally {
        await page.context().close();
      }
    },
  );

  it(
    'customer, store owner and rider take an order to COMPLETED, every page by push: no reload, no polling',
    { timeout: 120_000 },
    async () => {
      const customer = await openPage('customer', PHONE);
      const store = await openPage('store', TABLET);
      const rider = await openPage('rider', PHONE);
      const pages = { customer, store, rider };
      const traffic = {
        customer: watchTraffic(customer),
        store: watchTraffic(store),
        rider: watchTraffic(rider),
      };
      try {
        // everyone is logged in and looking at their page before the order exists
        await Promise.all([
          login(customer, 'kim', '/customer.html'),
          login(store, 'store-1', '/store.html'),
          login(rider, 'rider-1', '/rider.html'),
        ]);
        await store.getByTestId('store-live').and(store.locator('[data-mode="live"]')).waitFor();
        await rider.getByTestId('rider-live').and(rider.locator('[data-mode="live"]')).waitFor();

        // the customer orders one fried chicken from Hanok Chicken
        await customer.locator('[data-testid="store-card"][data-store-id="store-1"]').click();
        const chicken = customer.locator('[data-testid="menu-item"][data-menu-id="chicken-fried"]');
        await chicken.getByTestId('menu-price').filter({ hasText: '18,000원' }).waitFor();
        await chicken.getByTestId('qty-plus').click();
        assert.equal(await chicken.getByTestId('qty').textContent(), '1');
        assert.equal(
          await customer.getByTestId('address').inputValue(),
          '서울 강남구 테헤란로 152',
        );
        assert.equal(await customer.getByTestId('card-number').inputValue(), '4242424242424242');
        assert.equal(await customer.getByTestId('order-total').textContent(), '20,000원');
        await customer.getByTestId('place-order').click();
        const orderView = customer.getByTestId('order-view');
        await orderView.waitFor();
        const orderId = await orderView.getAttribute('data-order-id');
        assert.match(orderId, /\S{8,}/);
        await customerSees(customer, 'PAID');
        assert.equal(await customer.getByTestId('order-total-paid').textContent(), '20,000원');

        // the page is live on its WebSocket
        const liveMode = customer.getByTestId('live-mode');
        await waitForAttr(customer, '[data-testid="live-mode"]', 'data-mode', 'live');

        // the order shows up on the store page by itself
        const storeOrder = card(store, 'store-order', orderId);
        const storeOrderSel = cardSelector('store-order', orderId);
        await waitForAttr(store, storeOrderSel, 'data-status', 'NEW');
        assert.ok(await sameDocument(store), 'the store page was reloaded');
        await storeOrder.getByTestId('accept').click();
        await customerSees(customer, 'ACCEPTED');
        await waitForAttr(store, storeOrderSel, 'data-status', 'ACCEPTED');
        await storeOrder.getByTestId('start-cooking').click();
        await customerSees(customer, 'COOKING');

        // the rider sees the delivery open and claims it while the food cooks
        const offer = card(rider, 'nearby-delivery', orderId);
        await offer.waitFor();
        await offer.getByTestId('claim').click();
        await customerSees(customer, 'RIDER_ASSIGNED');
        const mine = card(rider, 'my-delivery', orderId);
        const mineSel = cardSelector('my-delivery', orderId);
        await waitForAttr(rider, mineSel, 'data-status', 'ASSIGNED');
        assert.equal(
          await mine.getByTestId('pickup').isDisabled(),
          true,
          'pick-up must wait for the food',
        );
        await offer.waitFor({ state: 'detached' });

        // the store finishes cooking; the rider picks up and delivers
        await waitForAttr(store, storeOrderSel, 'data-status', 'COOKING');
        await storeOrder.getByTestId('finish-cooking').click();
        await customerSees(customer, 'COOKED');
        await mine.getByTestId('pickup').click(); // waits until it is enabled (cooked)
        await customerSees(customer, 'PICKED_UP');
        await waitForAttr(rider, mineSel, 'data-status', 'PICKED_UP');
        await mine.getByTestId('deliver').click();
        await customerSees(customer, 'DELIVERED');

        // the customer confirms receipt
        await customer.getByTestId('confirm-order').click();
        await customerSees(customer, 'COMPLETED');

        const seen = (await customer.getByTestId('order-status').getAttribute('data-seen')).split(
          ' ',
        );
        assert.deepEqual(
          seen,
          [
            'PAID',
            'ACCEPTED',
            'COOKING',
            'RIDER_ASSIGNED',
            'COOKED',
            'PICKED_UP',
            'DELIVERED',
            'COMPLETED',
          ],
          'statuses the customer page showed, in order',
        );
        const timeline = await customer
          .locator('[data-testid="timeline-step"]')
          .evaluateAll((els) => els.map((e) => e.dataset.status));
        assert.deepEqual(timeline, [
          'PAID',
          'ACCEPTED',
          'COOKING',
          'RIDER_ASSIGNED',
          'COOKED',
          'PICKED_UP',
          'DELIVERED',
          'COMPLETED',
        ]);
        assert.equal(await liveMode.getAttribute('data-mode'), 'live');
        await waitForAttr(store, storeOrderSel, 'data-status', 'COMPLETED');
        await waitForAttr(rider, mineSel, 'data-status', 'DELIVERED');
        for (const [name, page] of Object.entries(pages))
          assert.ok(await sameDocument(page), `the ${name} page was reloaded`);
        // each page lived on its socket; the store and rider pages read the API over HTTP only for
        // what they show at load (the orders already done, my deliveries so far) and their actions
        assert.deepEqual(traffic.store.sockets, ['/ws/store']);
        assert.deepEqual(traffic.rider.sockets, ['/ws/rider']);
        assert.deepEqual(traffic.customer.sockets, [`/ws/orders/${orderId}`]);
        assert.ok(
          traffic.store.reads('/api/store/orders') <= 1,
          `the store page polled: ${traffic.store.gets.join(', ')}`,
        );
        assert.ok(
          traffic.rider.reads('/api/rider/deliveries') === 0,
          `the rider page polled offers: ${traffic.rider.gets.join(', ')}`,
        );
        assert.ok(
          traffic.rider.reads('/api/rider/deliveries/mine') <= 1,
          `the rider page polled its deliveries: ${traffic.rider.gets.join(', ')}`,
        );
        await screenshots(pages);

        // "my orders" lists it (from GET /api/orders, or from this browser while that is missing)
        await customer.getByTestId('nav-orders').click();
        await card(customer, 'my-order', orderId).click();
        await customerSees(customer, 'COMPLETED');
        assert.ok(await sameDocument(customer), 'the customer page was reloaded');

        assert.deepEqual(
          [...customer.errors, ...store.errors, ...rider.errors],
          [],
          'uncaught errors in the pages',
        );
      } catch (e) {
        await screenshots(pages, { suffix: '-failure', clean: false });
        console.log(
          `# baedal dev output (last lines):\n${(await system.logTail(40)).replace(/^/gm, '#   ')}`,
        );
        throw e;
      } finally {
        await Promise.all(
          Object.values(pages).map((p) =>
            p
              .context()
              .close()
              .catch(() => {}),
          ),
        );
      }
    },
  );

  it(
    'on a phone (390×844): addresses without coordinates, express, errors and names in Korean and English, messages, a notification link, layouts that fit',
    { timeout: 180_000 },
    () => whatUsersMeet(PHONE, 'phone'),
  );

  it('on a desktop (1280×800): the same', { timeout: 180_000 }, () =>
    whatUsersMeet(DESKTOP, 'desktop'),
  );
});
