// Small helpers shared by every view: DOM building (text only, never HTML strings), formatting,
// throttling. Nothing here talks to the hub.

/** h('div', {class: 'x', dataset: {testid: 'y'}, onclick: fn}, child, 'text', [more]) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'style') Object.assign(el.style, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'value' || k === 'checked' || k === 'selected') el[k] = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

/** A status, state or priority as a coloured chip. */
export function chip(value, testid) {
  const v = String(value || 'unknown').toLowerCase();
  // waiting_for_approval reads "waiting for approval"; its class drops the underscores
  return h('span', { class: `chip s-${v.replace(/[^a-z]/g, '')}`, dataset: testid ? { testid } : undefined }, v.replace(/_/g, ' '));
}

/** A 0..1 value as a small bar. */
export function meter(value) {
  const i = h('i');
  i.style.width = `${Math.round(Math.max(0, Math.min(1, Number(value) || 0)) * 100)}%`;
  return h('span', { class: 'meter', 'aria-hidden': 'true' }, i);
}

export function bar(value, max = 1) {
  const i = h('i');
  i.style.width = `${max > 0 ? Math.round(Math.max(0, Math.min(1, value / max)) * 100) : 0}%`;
  return h('div', { class: 'bar', 'aria-hidden': 'true' }, i);
}

export function capabilityList(caps, key = 'proficiency') {
  if (!caps || !caps.length) return h('span', { class: 'muted' }, 'none');
  return h('span', { class: 'caps' }, caps.map(c => h('span', { class: 'cap', title: `${c.name}: ${fmtNum(c[key])}` },
    c.name, c[key] !== undefined && c[key] !== null ? [meter(c[key]), fmtNum(c[key])] : null)));
}

/** ms since epoch from an ISO instant (any number of fraction digits); null when absent. */
export function ms(iso) {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

export function fmtNum(n, digits = 2) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '–';
  const x = Number(n);
  return Number.isInteger(x) ? String(x) : x.toFixed(digits);
}

/** Scores always with three decimals, so 1 and 0.950 line up in a column. */
export function fmtScore(n) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '–';
  return Number(n).toFixed(3);
}

export function fmtPct(n) {
  return n === null || n === undefined ? '–' : `${Math.round(Number(n) * 100)}%`;
}

/**
 * A duration in ms as "820 ms", "3.2 s", "4 min 5 s", "2 h 3 min": rounded once, to the unit shown
 * last, before it is split, so 59.6 s is "1 min 0 s", never "60 s" or "1 min 60 s".
 */
export function fmtDur(d) {
  if (d === null || d === undefined || Number.isNaN(d)) return '–';
  if (d < 0) d = 0;
  if (Math.round(d) < 1000) return `${Math.round(d)} ms`;
  if (Math.round(d / 100) < 100) return `${(Math.round(d / 100) / 10).toFixed(1)} s`;
  const s = Math.round(d / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  const m = Math.round(d / 60000);
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function fmtTime(iso) {
  const t = typeof iso === 'number' ? iso : ms(iso);
  if (t === null) return '–';
  const d = new Date(t);
  const today = new Date();
  const time = d.toLocaleTimeString(undefined, { hour12: false });
  return d.toDateString() === today.toDateString() ? time : `${d.toLocaleDateString()} ${time}`;
}

export function fmtAgo(iso) {
  const t = typeof iso === 'number' ? iso : ms(iso);
  if (t === null) return '–';
  const s = Math.round((Date.now() - t) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export function shortId(id) {
  if (!id) return '–';
  const s = String(id);
  // a dataset task's chunks are "<its id>-chunk-<n>": their first 8 characters are all alike
  const chunk = /^(.{8}).*-chunk-(\d+)$/.exec(s);
  return chunk ? `${chunk[1]}…#${chunk[2]}` : s.slice(0, 8);
}

// The time fields are plain text in one format, 24-hour local time: a datetime-local picker shows
// AM/PM in some locales, unlike every other time on the dashboard.
export const TIME_FORMAT = 'YYYY-MM-DD HH:MM:SS';

/** An instant as the time fields show it: YYYY-MM-DD HH:MM:SS in local time, 24-hour. */
export function toLocalInput(t) {
  const d = new Date(t);
  const p = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * What a time field holds as ms since the epoch: YYYY-MM-DD HH:MM:SS in local time, 24-hour (the
 * seconds may be left out or carry up to three decimals). Null for anything else, for a date that
 * does not exist (Feb 30) and for a local time a clock change skips.
 */
export function parseLocalInput(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(String(text).trim());
  if (!m) return null;
  const [y, mo, d, hh, mi, ss] = m.slice(1, 7).map(v => Number(v || 0));
  const frac = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
  const date = new Date(y, mo - 1, d, hh, mi, ss, frac);
  // Date rolls over what does not exist (Feb 30 becomes Mar 1): read it back to see
  const same = date.getFullYear() === y && date.getMonth() === mo - 1 && date.getDate() === d
    && date.getHours() === hh && date.getMinutes() === mi && date.getSeconds() === ss;
  return same ? date.getTime() : null;
}

/**
 * Runs fn at most every `wait` ms: the first call runs at once, calls within the window run once
 * at its end. Keys passed to the returned function are collected and handed to fn as a Set.
 */
export function throttle(fn, wait = 500) {
  let last = 0;
  let timer = null;
  let keys = new Set();
  const run = () => {
    timer = null;
    last = Date.now();
    const k = keys;
    keys = new Set();
    fn(k);
  };
  const call = key => {
    if (key !== undefined) keys.add(key);
    if (timer) return;
    const due = last + wait - Date.now();
    if (due <= 0) run();
    else timer = setTimeout(run, due);
  };
  call.cancel = () => { clearTimeout(timer); timer = null; keys = new Set(); };
  return call;
}

export function toast(message, bad = false) {
  const box = document.getElementById('toasts');
  if (!box) return;
  const t = h('div', { class: bad ? 'toast bad' : 'toast', role: 'status' }, message);
  box.append(t);
  setTimeout(() => t.remove(), bad ? 6000 : 3000);
}

/** An error as one sentence for the screen. */
export function explainError(e) {
  if (!e) return 'Something went wrong.';
  if (e.status === 403) return `Not allowed: ${e.message}`;
  return e.message || String(e);
}

/** Whether an error says the hub did not answer (unreachable) or could not (5xx): worth a retry. */
export function hubDown(e) {
  return !!e && (e.status === 0 || e.status >= 500);
}

export const HUB_DOWN = 'The hub is not answering — retrying';
/** How soon a list asks again while its hub does not answer. */
export const DOWN_RETRY_MS = 3000;

/** The one notice a list shows while its hub does not answer (hidden until then). */
export function downNotice() {
  return h('p', { class: 'hub-down', role: 'alert', hidden: true, dataset: { testid: 'hub-down' } }, HUB_DOWN);
}

export function card(title, body, opts = {}) {
  return h('section', { class: `card ${opts.span ? 'span-' + opts.span : ''}`, dataset: opts.testid ? { testid: opts.testid } : undefined, id: opts.id },
    title ? h('h2', null, title, opts.extra || null) : null, body);
}

/** Label of an agent id: its name when the view knows it. */
export function agentLabel(id, names) {
  if (!id) return '–';
  const n = names && names.get(id);
  return n ? n : shortId(id);
}
