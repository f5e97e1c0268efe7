// A refused request shown under its form, in Korean and English, with the inputs it names marked.

import { h } from './dom.js';
import { ko } from './labels.js';

/**
 * Shows a refused request under the form: each violation in Korean and English, and marks the
 * inputs it names (`inputs`: JSON Pointer -> input). Problems without `errors` show their detail.
 */
export function showErrors(box, err, inputs = {}, reveal = null) {
  const messages = err?.messages ?? [
    { ko: '요청을 처리하지 못했습니다', en: String(err?.message ?? err) },
  ];
  const where = (m) => (m.where ? `${m.where.kind}:${m.where.name}` : '');
  box.replaceChildren(
    h('p', { class: 'form-errors-title' }, ko('주문하지 못했습니다', 'The order was not placed')),
    h(
      'ul',
      null,
      messages.map((m) =>
        h(
          'li',
          { testid: 'form-error', dataset: { where: where(m) } },
          h('span', { class: 'ko' }, m.ko),
          h('span', { class: 'en' }, m.en),
        ),
      ),
    ),
  );
  box.hidden = false;
  for (const m of messages) {
    const input = m.where?.kind === 'pointer' ? inputs[m.where.name] : null;
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      if (reveal && reveal.contains(input)) reveal.open = true;
    }
  }
  box.scrollIntoView({ block: 'nearest' });
}
