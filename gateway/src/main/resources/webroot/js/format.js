// Amounts, times and ids as the pages show them.

/** 18000 -> "18,000원" */
export function won(n) {
  const v = Number(n);
  if (n == null || !Number.isFinite(v)) return '—';
  const sign = v < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(v))).replace(/\B(?=(\d{3})+(?!\d))/g, ',') + '원';
}

export function fmtTime(iso) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return '';
  return d.toLocaleTimeString('ko-KR', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}

export function shortId(id) {
  return id ? String(id).slice(0, 8) : '—';
}
