// Live order status: the WebSocket /ws/orders/{id} is the source; while it is not connected
// (not deployed yet, network trouble, server restart) GET /api/orders/{id} is polled every second
// and the socket is retried with exponential back-off.

import { api, session } from './api.js';

const POLL_MS = 1000;
const WS_GRACE_MS = 2500; // start polling if the socket is not open by then
const MAX_BACKOFF_MS = 15000;

/** True when view `a` is not older than view `b` (so a late poll answer never rolls the page back). */
export function notOlder(a, b) {
  if (!b) return true;
  const ta = Date.parse(a?.updatedAt);
  const tb = Date.parse(b?.updatedAt);
  if (Number.isFinite(ta) && Number.isFinite(tb) && ta !== tb) return ta > tb;
  const la = Array.isArray(a?.timeline) ? a.timeline.length : 0;
  const lb = Array.isArray(b?.timeline) ? b.timeline.length : 0;
  return la >= lb;
}

/**
 * Watches one order. onView(view) gets every newer view of the query model; onMode(mode) gets
 * 'connecting' | 'live' (socket) | 'polling' | 'offline'. Returns {close(), refresh()}.
 */
export function watchOrder(orderId, { onView, onMode, initial = null }) {
  let current = initial;
  let ws = null;
  let closed = false;
  let attempt = 0;
  let reconnectTimer = null;
  let graceTimer = null;
  let pollTimer = null;
  let polling = false;
  let mode = null;

  const setMode = (m) => {
    if (m !== mode) {
      mode = m;
      onMode?.(m);
    }
  };

  const deliver = (view) => {
    if (!view || closed) return;
    if (!notOlder(view, current)) return;
    current = view;
    onView(view);
  };

  /** The server's messages: the view on connect, then {orderId, status, at, view}. */
  const fromMessage = (msg) => {
    if (!msg || typeof msg !== 'object') return null;
    if (typeof msg.status === 'number') return null; // a problem document, not an update
    if (msg.view && typeof msg.view === 'object') {
      return { ...msg.view, status: msg.view.status ?? msg.status, orderId: msg.view.orderId ?? msg.orderId };
    }
    if (Array.isArray(msg.timeline) || Array.isArray(msg.items) || 'customerId' in msg) return msg;
    if (typeof msg.status === 'string') {
      // a bare change: fold it into what we have
      const base = { ...(current ?? { orderId }) };
      const timeline = Array.isArray(base.timeline) ? [...base.timeline] : [];
      if (!timeline.some((t) => t.status === msg.status && t.at === msg.at)) timeline.push({ status: msg.status, at: msg.at });
      return { ...base, status: msg.status, timeline, updatedAt: msg.at ?? base.updatedAt };
    }
    return null;
  };

  const pollOnce = async () => {
    try {
      deliver(await api(`/api/orders/${encodeURIComponent(orderId)}`, { quiet: true }));
      if (polling) setMode('polling');
    } catch (e) {
      // 404 right after placing (the read side may lag a moment) or the server is restarting
      if (polling && e.status !== 404) setMode('offline');
    }
  };

  const pollLoop = async () => {
    if (!polling || closed) return;
    await pollOnce();
    if (polling && !closed) pollTimer = setTimeout(pollLoop, POLL_MS);
  };

  const startPolling = () => {
    if (polling || closed) return;
    polling = true;
    setMode('polling');
    pollLoop();
  };

  const stopPolling = () => {
    polling = false;
    clearTimeout(pollTimer);
  };

  const scheduleReconnect = () => {
    if (closed) return;
    const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt);
    attempt += 1;
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(connect, base * (0.75 + Math.random() * 0.5));
  };

  function connect() {
    if (closed) return;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = `${proto}//${location.host}/ws/orders/${encodeURIComponent(orderId)}?token=${encodeURIComponent(session.token ?? '')}`;
    let socket;
    try {
      socket = new WebSocket(url);
    } catch {
      startPolling();
      scheduleReconnect();
      return;
    }
    ws = socket;
    if (!polling) setMode('connecting');
    clearTimeout(graceTimer);
    graceTimer = setTimeout(() => {
      if (socket.readyState !== WebSocket.OPEN) startPolling();
    }, WS_GRACE_MS);
    socket.onopen = () => {
      if (closed) return socket.close();
      attempt = 0;
      clearTimeout(graceTimer);
      stopPolling();
      setMode('live');
    };
    socket.onmessage = (e) => {
      let msg;
      try {
        msg = JSON.parse(e.data);
      } catch {
        return;
      }
      deliver(fromMessage(msg));
    };
    socket.onerror = () => {}; // a close event follows
    socket.onclose = () => {
      if (ws === socket) ws = null;
      clearTimeout(graceTimer);
      if (closed) return;
      startPolling();
      scheduleReconnect();
    };
  }

  // show something at once, then go live
  pollOnce();
  connect();

  return {
    refresh: pollOnce,
    close() {
      closed = true;
      stopPolling();
      clearTimeout(reconnectTimer);
      clearTimeout(graceTimer);
      if (ws) ws.close(1000);
      ws = null;
    },
  };
}
