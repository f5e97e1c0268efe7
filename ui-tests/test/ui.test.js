// The web UI in a real browser: a customer, a store owner and a rider, each in their own browser
// context, take one order from placing to receipt; the customer's page follows every status live.
import assert from 'node:assert/strict';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { startDevProxy } from '../lib/dev-proxy.js';
import { REPO, startSystem } from '../lib/system.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = path.resolve(process.env.UI_SCREENSHOTS_DIR ?? path.join(REPO, 'target/ui-screenshots'));
const WEBROOT = path.join(REPO, 'gateway/src/main/resources/webroot');
const STEP_MS = Number(process.env.UI_STEP_TIMEOUT_MS ?? 15_000); // the longest wait for one visible change
const PHONE = { width: 412, height: 915 };
const TABLET = { width: 1100, height: 820 };

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
      console.log(`# BAEDAL_UI_FROM_SOURCE: pages from ${WEBROOT} at ${base}, API from ${system.url}`);
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
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    await mkdir(SHOTS, { recursive: true });
    for (const name of ['customer', 'store', 'rider']) await rm(path.join(SHOTS, `${name}-failure.png`), { force: true });
  },
  { timeout: 420_000 },
);

after(async () => {
  await browser?.close().catch(() => {});
  await proxy?.close().catch(() => {});
  await system?.stop();
});

/** A page in its own browser context (own cookies and sessionStorage), with uncaught errors collected. */
async function openPage(name, viewport) {
  const context = await browser.newContext({ baseURL: base, viewport, locale: 'ko-KR', timezoneId: 'Asia/Seoul' });
  context.setDefaultTimeout(STEP_MS);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(`${name}: ${e.message}`));
  if (process.env.UI_DEBUG) page.on('console', (m) => console.log(`# [${name}] ${m.type()}: ${m.text()}`));
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
  await page.waitForFunction((s) => document.querySelector('[data-testid="order-status"]')?.dataset.status === s, status, { timeout: STEP_MS });
}

/** Waits until the element matching `selector` (it may be re-rendered meanwhile) has attr = value. */
async function waitForAttr(page, selector, attr, value) {
  await page.waitForFunction(([sel, a, v]) => document.querySelector(sel)?.getAttribute(a) === v, [selector, attr, value], { timeout: STEP_MS });
}

async function screenshots(pages, { suffix = '', clean = true } = {}) {
  for (const [name, page] of Object.entries(pages)) {
    if (!page || page.isClosed()) continue;
    const file = path.join(SHOTS, `${name}${suffix}.png`);
    await page
      .evaluate((removeToasts) => {
        window.scrollTo(0, 0); // keeps the sticky top bar at the top of a full-page shot
        if (removeToasts) document.querySelectorAll('[data-testid="toast"]').forEach((t) => t.remove());
      }, clean)
      .catch(() => {});
    await page.screenshot({ path: file, fullPage: true }).catch((e) => console.log(`# screenshot ${file} failed: ${e.message}`));
  }
}

describe('Baedal web UI in Chromium', () => {
  it('a wrong password shows the problem detail of the API in a toast', { timeout: 30_000 }, async () => {
    const res = await fetch(`${system.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'kim', password: 'not-kims' }) });
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
  });

  it('customer, store owner and rider take an order to COMPLETED, every page by push: no reload, no polling', { timeout: 120_000 }, async () => {
    const customer = await openPage('customer', PHONE);
    const store = await openPage('store', TABLET);
    const rider = await openPage('rider', PHONE);
    const pages = { customer, store, rider };
    const traffic = { customer: watchTraffic(customer), store: watchTraffic(store), rider: watchTraffic(rider) };
    try {
      // everyone is logged in and looking at their page before the order exists
      await Promise.all([login(customer, 'kim', '/customer.html'), login(store, 'store-1', '/store.html'), login(rider, 'rider-1', '/rider.html')]);
      await store.getByTestId('store-live').and(store.locator('[data-mode="live"]')).waitFor();
      await rider.getByTestId('rider-live').and(rider.locator('[data-mode="live"]')).waitFor();

      // the customer orders one fried chicken from Hanok Chicken
      await customer.locator('[data-testid="store-card"][data-store-id="store-1"]').click();
      const chicken = customer.locator('[data-testid="menu-item"][data-menu-id="chicken-fried"]');
      await chicken.getByTestId('menu-price').filter({ hasText: '18,000원' }).waitFor();
      await chicken.getByTestId('qty-plus').click();
      assert.equal(await chicken.getByTestId('qty').textContent(), '1');
      assert.equal(await customer.getByTestId('address').inputValue(), '서울 강남구 테헤란로 152');
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
      assert.equal(await mine.getByTestId('pickup').isDisabled(), true, 'pick-up must wait for the food');
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

      const seen = (await customer.getByTestId('order-status').getAttribute('data-seen')).split(' ');
      assert.deepEqual(seen, ['PAID', 'ACCEPTED', 'COOKING', 'RIDER_ASSIGNED', 'COOKED', 'PICKED_UP', 'DELIVERED', 'COMPLETED'], 'statuses the customer page showed, in order');
      const timeline = await customer.locator('[data-testid="timeline-step"]').evaluateAll((els) => els.map((e) => e.dataset.status));
      assert.deepEqual(timeline, ['PAID', 'ACCEPTED', 'COOKING', 'RIDER_ASSIGNED', 'COOKED', 'PICKED_UP', 'DELIVERED', 'COMPLETED']);
      assert.equal(await liveMode.getAttribute('data-mode'), 'live');
      await waitForAttr(store, storeOrderSel, 'data-status', 'COMPLETED');
      await waitForAttr(rider, mineSel, 'data-status', 'DELIVERED');
      for (const [name, page] of Object.entries(pages)) assert.ok(await sameDocument(page), `the ${name} page was reloaded`);
      // each page lived on its socket; the store and rider pages read the API over HTTP only for
      // what they show at load (the orders already done, my deliveries so far) and their actions
      assert.deepEqual(traffic.store.sockets, ['/ws/store']);
      assert.deepEqual(traffic.rider.sockets, ['/ws/rider']);
      assert.deepEqual(traffic.customer.sockets, [`/ws/orders/${orderId}`]);
      assert.ok(traffic.store.reads('/api/store/orders') <= 1, `the store page polled: ${traffic.store.gets.join(', ')}`);
      assert.ok(traffic.rider.reads('/api/rider/deliveries') === 0, `the rider page polled offers: ${traffic.rider.gets.join(', ')}`);
      assert.ok(traffic.rider.reads('/api/rider/deliveries/mine') <= 1, `the rider page polled its deliveries: ${traffic.rider.gets.join(', ')}`);
      await screenshots(pages);

      // "my orders" lists it (from GET /api/orders, or from this browser while that is missing)
      await customer.getByTestId('nav-orders').click();
      await card(customer, 'my-order', orderId).click();
      await customerSees(customer, 'COMPLETED');
      assert.ok(await sameDocument(customer), 'the customer page was reloaded');

      assert.deepEqual([...customer.errors, ...store.errors, ...rider.errors], [], 'uncaught errors in the pages');
    } catch (e) {
      await screenshots(pages, { suffix: '-failure', clean: false });
      console.log(`# baedal dev output (last lines):\n${(await system.logTail(40)).replace(/^/gm, '#   ')}`);
      throw e;
    } finally {
      await Promise.all(Object.values(pages).map((p) => p.context().close().catch(() => {})));
    }
  });
});
