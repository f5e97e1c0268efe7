// A live WebSocket of the Baedal API (/ws/orders/{id}, /ws/store, /ws/rider), kept open: it
// reconnects with exponential back-off, and the server sends the current state again on every
// (re)connect, so nothing is missed. Only while it is down, `fallback` (a function that reads the
// same state over HTTP) runs every few seconds; a connected page never polls.

import { session, toLogin } from './session.js';

const MAX_BACKOFF_MS = 15000;
const FALLBACK_MS = 5000;
const TOKEN_EXPIRED = 4401;

/**
 * Opens `path` (e.g. '/ws/store'). onMessage(msg) gets every parsed message; onOpen(send) runs on
 * each (re)connect with a function that sends JSON; onMode(mode) hears 'connecting' | 'live' |
 * 'offline'. Returns { close(), send(obj) }.
 */
export function liveSocket(path, { onMessage, onOpen, onMode, fallback }) {
  let ws = null;
  let closed = false;
  let attempt = 0;
  let reconnectTimer = null;
  let fallbackTimer = null;

  const setMode = (m) => onMode?.(m);
  const send = (obj) => {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(obj));
  };

  const startFallback = () => {
    if (!fallback || fallbackTimer || closed) return;
    const run = async () => {
      try {
        await fallback();
      } catch {
        /* offline: the mode says so */
      }
    };
    run();
    fallbackTimer = setInterval(run, FALLBACK_MS);
  };
  const stopFallback = () => {
    clearInterval(fallbackTimer);
    fallbackTimer = null;
  };

  const scheduleReconnect = () => {
    if (closed) return;
    const base = Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempt);
    attempt += 1;
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(connect, base * (0.75 + Math.random() * 0.5));
  };

  function connect() {
    if (closed) return;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const sep = path.includes('?') ? '&' : '?';
    const url = `${proto}//${location.host}${path}${sep}token=${encodeURIComponent(session.token ?? '')}`;
    let socket;
    try {
      socket = new WebSocket(url);
    } catch {
      setMode('offline');
      startFallback();
      scheduleReconnect();
      return;
    }
    ws = socket;
    setMode('connecting');
    socket.onopen = () => {
      if (closed) return socket.close(1000);
      attempt = 0;
      stopFallback();
      setMode('live');
      onOpen?.(send);
    };
    socket.onmessage = (e) => {
      let msg;
      try {
        msg = JSON.parse(e.data);
      } catch {
        return;
      }
      onMessage(msg);
    };
    socket.onerror = () => {}; // a close event follows
    socket.onclose = (e) => {
      if (ws === socket) ws = null;
      if (closed) return;
      if (e.code === TOKEN_EXPIRED) {
        closed = true;
        toLogin('로그인이 만료되었습니다 Your session expired');
        return;
      }
      setMode('offline');
      startFallback();
      scheduleReconnect();
    };
  }

  connect();
  return {
    send,
    close() {
      closed = true;
      stopFallback();
      clearTimeout(reconnectTimer);
      if (ws) ws.close(1000);
      ws = null;
    },
  };
}
