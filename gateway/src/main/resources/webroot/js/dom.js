// A tiny DOM builder, keyed list rendering, and a button that is busy while its work runs.

/** h('button', {class, testid, dataset, onClick, disabled}, ...children): text children are escaped. */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'testid') el.dataset.testid = v;
    else if (k === 'dataset')
      for (const [dk, dv] of Object.entries(v)) {
        if (dv != null) el.dataset[dk] = dv;
      }
    else if (k.startsWith('on') && typeof v === 'function')
      el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (typeof v === 'boolean' || k === 'value') el[k] = v;
    else el.setAttribute(k, v);
  }
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/**
 * Keyed list rendering: children whose signature did not change are kept as they are (so buttons
 * under the pointer survive a refresh), changed ones are replaced, missing ones removed.
 */
export function syncList(
  container,
  items,
  keyOf,
  render,
  signatureOf = (item) => JSON.stringify(item),
) {
  const existing = new Map();
  for (const child of [...container.children]) {
    if (child.dataset.key) existing.set(child.dataset.key, child);
    else child.remove();
  }
  let prev = null;
  for (const item of items) {
    const key = String(keyOf(item));
    const sig = signatureOf(item);
    let el = existing.get(key);
    existing.delete(key);
    if (!el || el._sig !== sig) {
      const fresh = render(item);
      fresh.dataset.key = key;
      fresh._sig = sig;
      if (el) el.replaceWith(fresh);
      el = fresh;
    }
    const want = prev ? prev.nextSibling : container.firstChild;
    if (want !== el) container.insertBefore(el, want);
    prev = el;
  }
  for (const el of existing.values()) el.remove();
}

/** Disables a button while `work` runs. */
export async function busy(button, work) {
  if (button.disabled) return undefined;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}
