// Toasts: short messages in a corner, errors in Korean with their English below.

import { h } from './dom.js';

let toastBox;
/** Shows a message (text or nodes) for a few seconds; kind: 'error' | 'ok' | 'info'. Click to dismiss. */
export function toast(message, kind = 'error', ms = 5000) {
  if (!toastBox) {
    toastBox = h('div', { class: 'toasts', testid: 'toasts', 'aria-live': 'polite' });
    document.body.append(toastBox);
  }
  const t = h(
    'div',
    {
      class: 'toast',
      testid: 'toast',
      role: kind === 'error' ? 'alert' : 'status',
      dataset: { kind },
    },
    message,
  );
  t.addEventListener('click', () => t.remove());
  toastBox.append(t);
  while (toastBox.children.length > 4) toastBox.firstChild.remove();
  setTimeout(() => t.remove(), ms);
}

/** A toast's content for an error: each message in Korean, its English below. */
export function bilingual(messages) {
  return messages.map((m) =>
    h(
      'div',
      { class: 'msg', testid: 'problem-message' },
      h('span', { class: 'ko' }, m.ko),
      h('span', { class: 'en' }, m.en),
    ),
  );
}
