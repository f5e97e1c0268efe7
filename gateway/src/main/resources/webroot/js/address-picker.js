// The delivery address of the checkout: typed, picked from Seoul's districts, the device's
// position or a saved address; the coordinates only if the customer wants to type them.

import { nearestDistrict, validAddress } from './addresses.js';
import { catalog, field } from './customer-shared.js';
import { h } from './dom.js';
import { ko } from './labels.js';
import { bilingual, toast } from './toast.js';

/**
 * The address part of the checkout form. `checkout.address` is what it shows and sets; `book` the
 * customer's addresses; `refresh` runs after each change. Returns the inputs, nodes() to place
 * and renderSaved() / renderDistricts() to call once it is shown.
 */
export function addressPicker(checkout, book, refresh) {
  const num = (v) => ({ type: 'number', step: '0.0001', value: String(v) });
  const p = {
    addr: h('input', {
      testid: 'address',
      value: checkout.address.text,
      autocomplete: 'street-address',
    }),
    lat: h('input', { ...num(checkout.address.lat), testid: 'address-lat' }),
    lng: h('input', { ...num(checkout.address.lng), testid: 'address-lng' }),
    district: h('select', { testid: 'district-picker', 'aria-label': '지역 District' }),
    locate: h(
      'button',
      { type: 'button', class: 'btn', testid: 'use-location', hidden: !navigator.geolocation },
      ko('현재 위치', 'My location'),
    ),
    coords: h('p', { class: 'muted small', testid: 'address-coords' }),
    saved: h('div', { class: 'chips', testid: 'saved-addresses' }),
    saveButton: h(
      'button',
      { type: 'button', class: 'btn small', testid: 'save-address' },
      ko('이 주소 저장', 'Save this address'),
    ),
  };
  p.coordsBox = h(
    'details',
    { class: 'coords', testid: 'coords-details' },
    h('summary', null, ko('좌표 직접 입력', 'Enter coordinates')),
    h('div', { class: 'grid2' }, field('위도', 'Lat', p.lat), field('경도', 'Lng', p.lng)),
  );
  p.showCoords = () => showCoords(p, checkout.address);
  p.use = (a, { keepText = false } = {}) => {
    checkout.address = {
      text: keepText ? p.addr.value : a.text,
      lat: Number(a.lat),
      lng: Number(a.lng),
    };
    if (!keepText) p.addr.value = a.text;
    p.lat.value = Number(a.lat).toFixed(4);
    p.lng.value = Number(a.lng).toFixed(4);
    p.showCoords();
    refresh();
  };
  p.renderSaved = () => renderSaved(p, book);
  p.renderDistricts = () => {
    p.district.replaceChildren(
      h('option', { value: '' }, '지역 선택 Choose a district'),
      ...catalog.districts.map((d) => h('option', { value: d.nameEn }, `${d.nameKo} ${d.nameEn}`)),
    );
    p.showCoords();
  };
  p.nodes = () => [
    field('배달 주소', 'Address', p.addr),
    h('div', { class: 'address-tools' }, p.district, p.locate),
    h('div', { class: 'saved-row' }, p.saved, p.saveButton),
    p.coords,
    p.coordsBox,
  ];
  bindPickers(p, book);
  return p;
}

/** "배달 위치: 강남구 Gangnam-gu · 37.5006, 127.0364", and the district picker set to match. */
function showCoords(p, a) {
  const lat = Number(a.lat);
  const lng = Number(a.lng);
  const d =
    Number.isFinite(lat) && catalog.districts.length
      ? nearestDistrict(catalog.districts, lat, lng)
      : null;
  const place =
    Number.isFinite(lat) && Number.isFinite(lng) ? `${lat.toFixed(4)}, ${lng.toFixed(4)}` : '—';
  const district = d ? [d.nameKo, ' ', h('span', { class: 'en' }, d.nameEn), ' · '] : [];
  p.coords.replaceChildren(...ko('배달 위치', 'Deliver to'), ': ', ...district, place);
  if (d && p.district.value !== d.nameEn) p.district.value = d.nameEn;
}

function renderSaved(p, book) {
  const list = book.saved();
  const remove = (i) => {
    book.save(list.filter((_, j) => j !== i));
    renderSaved(p, book);
  };
  p.saved.replaceChildren(
    ...list.map((a, i) =>
      h(
        'span',
        { class: 'chip saved', testid: 'saved-address' },
        h('button', { type: 'button', class: 'chip-main', onClick: () => p.use(a) }, a.text),
        h(
          'button',
          {
            type: 'button',
            class: 'chip-x',
            'aria-label': `${a.text} 삭제 Remove`,
            onClick: () => remove(i),
          },
          '×',
        ),
      ),
    ),
  );
}

/** The district picker, the device's position and the save button. */
function bindPickers(p, book) {
  const typed = () => ({ keepText: p.addr.dataset.typed === 'true' });
  p.district.addEventListener('change', () => {
    const d = catalog.districts.find((x) => x.nameEn === p.district.value);
    if (d) p.use({ text: `서울 ${d.nameKo}`, lat: d.lat, lng: d.lng }, typed());
  });
  p.locate.addEventListener('click', () => locate(p, typed));
  p.saveButton.addEventListener('click', () => {
    const a = { text: p.addr.value.trim(), lat: Number(p.lat.value), lng: Number(p.lng.value) };
    if (!validAddress(a)) {
      return toast(
        bilingual([
          { ko: '주소와 위치를 먼저 정해 주세요', en: 'Choose an address and a place first' },
        ]),
      );
    }
    book.save([a, ...book.saved().filter((x) => x.text !== a.text)]);
    p.renderSaved();
    toast('주소를 저장했습니다 Address saved', 'ok', 2000);
  });
  p.addr.addEventListener('input', () => (p.addr.dataset.typed = 'true'));
}

function locate(p, typed) {
  p.locate.disabled = true;
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      p.locate.disabled = false;
      const { latitude: lat, longitude: lng } = pos.coords;
      const d = nearestDistrict(catalog.districts, lat, lng);
      p.use({ text: d ? `서울 ${d.nameKo} (현재 위치)` : '현재 위치', lat, lng }, typed());
      toast('현재 위치를 배달 위치로 정했습니다 Using your current location', 'ok', 2500);
    },
    (err) => {
      p.locate.disabled = false;
      toast(
        bilingual([
          { ko: '현재 위치를 알 수 없습니다', en: `Cannot get your location: ${err.message}` },
        ]),
      );
    },
    { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 },
  );
}
