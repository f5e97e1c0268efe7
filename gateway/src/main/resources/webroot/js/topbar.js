// The mint top bar every page of a role shows.

import { h } from './dom.js';
import { toLogin } from './session.js';

export const LOGO_SVG =
  '<svg viewBox="0 0 48 48" aria-hidden="true"><circle cx="24" cy="24" r="22" fill="#fff"/>' +
  '<path d="M12 27h17l4-9h5" fill="none" stroke="#2ac1bc" stroke-width="3.2" stroke-linecap="round" stroke-linejoin="round"/>' +
  '<circle cx="16" cy="32" r="3.4" fill="#119e99"/><circle cx="33" cy="32" r="3.4" fill="#119e99"/>' +
  '<rect x="13" y="16" width="11" height="8" rx="2" fill="#2ac1bc"/></svg>';

/** The mint top bar: logo, page title, who is logged in, logout. */
export function topbar(me, title) {
  const brand = h('div', { class: 'brand' });
  brand.innerHTML = LOGO_SVG;
  const [titleKo, ...titleEn] = String(title).split(' ');
  brand.append(
    h(
      'span',
      null,
      '배달 ',
      h(
        'span',
        { class: 'title' },
        titleKo,
        ' ',
        h('span', { class: 'en inherit' }, titleEn.join(' ')),
      ),
    ),
  );
  const bar = h(
    'header',
    { class: 'topbar' },
    brand,
    h('div', { class: 'who', testid: 'whoami' }, me.name || me.subject),
    h(
      'button',
      { class: 'btn small', testid: 'logout', type: 'button', onClick: () => toLogin(null) },
      '로그아웃 ',
      h('span', { class: 'en inherit' }, 'Logout'),
    ),
  );
  document.body.prepend(bar);
  return bar;
}
