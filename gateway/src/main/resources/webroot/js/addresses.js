// The customer's delivery addresses: the last one ordered to and those saved in this browser
// (localStorage, per customer), and the district nearest to a place.

const DEFAULT_ADDRESS = { text: '서울 강남구 테헤란로 152', lat: 37.5006, lng: 127.0364 };

function readJson(key, fallback) {
  try {
    return JSON.parse(localStorage.getItem(key)) ?? fallback;
  } catch {
    return fallback;
  }
}

export function validAddress(a) {
  return Boolean(
    a &&
    typeof a.text === 'string' &&
    a.text.trim() &&
    Number.isFinite(Number(a.lat)) &&
    Number.isFinite(Number(a.lng)),
  );
}

/** The addresses of customer `subject`: last() ordered to, saved() ones, save(list), keepLast(a). */
export function addressBook(subject) {
  const savedKey = `baedal.savedAddresses.${subject}`;
  const lastKey = `baedal.lastAddress.${subject}`;
  return {
    last() {
      const last = readJson(lastKey, null);
      return validAddress(last)
        ? { text: last.text, lat: Number(last.lat), lng: Number(last.lng) }
        : { ...DEFAULT_ADDRESS };
    },
    saved() {
      const list = readJson(savedKey, []);
      return Array.isArray(list) ? list.filter(validAddress) : [];
    },
    save(list) {
      localStorage.setItem(savedKey, JSON.stringify(list.slice(0, 8)));
    },
    keepLast(address) {
      localStorage.setItem(lastKey, JSON.stringify(address));
    },
  };
}

/** Great-circle distance in km (as the server measures it). */
function distanceKm(lat1, lng1, lat2, lng2) {
  const r = (d) => (d * Math.PI) / 180;
  const a =
    Math.sin(r(lat2 - lat1) / 2) ** 2 +
    Math.cos(r(lat1)) * Math.cos(r(lat2)) * Math.sin(r(lng2 - lng1) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)));
}

export function nearestDistrict(districts, lat, lng) {
  let best = null;
  for (const d of districts)
    if (!best || distanceKm(lat, lng, d.lat, d.lng) < distanceKm(lat, lng, best.lat, best.lng))
      best = d;
  return best;
}
