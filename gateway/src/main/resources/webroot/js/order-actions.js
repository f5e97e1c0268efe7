// The buttons that act on one order: confirm its receipt, cancel it (two taps).

import { busy, h } from './dom.js';
import { api } from './http.js';
import { ko } from './labels.js';
import { toast } from './toast.js';

export function confirmButton(orderId) {
  const b = h(
    'button',
    { type: 'button', class: 'btn primary block', testid: 'confirm-order' },
    ko('수령 확인', 'Confirm receipt'),
  );
  b.addEventListener('click', () =>
    busy(b, async () => {
      await api(`/api/orders/${encodeURIComponent(orderId)}/confirm`, { method: 'POST' });
      toast('맛있게 드세요! Enjoy your meal!', 'ok', 3000);
    }).catch(() => {}),
  );
  return b;
}

/** Cancel in two taps, no dialog: the first one asks, for four seconds. */
export function cancelButton(orderId) {
  const cancel = h(
    'button',
    { type: 'button', class: 'btn danger', testid: 'cancel-order' },
    ko('주문 취소', 'Cancel order'),
  );
  let armed = null;
  cancel.addEventListener('click', () => {
    if (!armed) {
      cancel.classList.add('solid');
      cancel.replaceChildren(...ko('한 번 더 누르면 취소됩니다', 'Tap again to cancel'));
      armed = setTimeout(() => {
        armed = null;
        cancel.classList.remove('solid');
        cancel.replaceChildren(...ko('주문 취소', 'Cancel order'));
      }, 4000);
      return;
    }
    clearTimeout(armed);
    armed = null;
    busy(cancel, async () => {
      await api(`/api/orders/${encodeURIComponent(orderId)}/cancel`, { method: 'POST' });
      toast('취소를 요청했습니다 Cancel requested', 'ok', 3000);
    }).catch(() => {});
  });
  return cancel;
}
