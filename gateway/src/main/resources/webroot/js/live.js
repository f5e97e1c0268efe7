// Live order status: the WebSocket /ws/orders/{id} sends the order's view on connect, then one
// message {orderId, status, at, version, view} per change. Views carry a version, so a message
// never rolls the page back. Only while the socket is down is the view read over HTTP.

import { api } from './http.js';
import { liveSocket } from './socket.js';

/**
 * Watches one order. onView(view) gets every newer view of the query model; onMode(mode) gets
 * 'connecting' | 'live' | 'offline'. Returns {close()}.
 */
export function watchOrder(orderId, { onView, onMode }) {
  let version = -1;
  let lastView = null;
  const show = (view, v) => {
    if (!view || (v != null && v <= version)) return;
    if (v != null) version = v;
    lastView = view;
    onView(view);
  };
  return liveSocket(`/ws/orders/${encodeURIComponent(orderId)}`, {
    onMode,
    onMessage: (msg) => show(msg.view, msg.version),
    fallback: async () => {
      const view = await api(`/api/orders/${encodeURIComponent(orderId)}`, { quiet: true });
      // a view read over HTTP has no version: shown only if it moved on
      if (view && JSON.stringify(view) !== JSON.stringify(lastView)) show(view, null);
    },
  });
}
