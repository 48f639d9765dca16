// The hub's API with the signed-in session: Bearer token on every call, the login token refreshed
// before it expires (refresh tokens are single use: one refresh at a time), 401 ends the session,
// error bodies become ApiError with the fields they name.

const STORE = 'agenthive.session';

export class ApiError extends Error {
  constructor(status, body, fallback) {
    const err = (body && body.error) || {};
    super(err.message || fallback || `the hub answered ${status}`);
    this.status = status;
    this.code = err.code || (status ? `http_${status}` : 'network');
    this.fieldErrors = Array.isArray(err.field_errors) ? err.field_errors : [];
    this.requestId = body && body.request_id;
  }
}

let session = load();
let refreshTimer = null;
let refreshing = null;
const listeners = new Set();

function load() {
  try {
    return JSON.parse(sessionStorage.getItem(STORE));
  } catch (e) {
    return null;
  }
}

function save(next, reason) {
  session = next;
  if (next) sessionStorage.setItem(STORE, JSON.stringify(next));
  else sessionStorage.removeItem(STORE);
  schedule();
  for (const fn of listeners) fn(next, reason);
}

/** fn(session, reason) whenever the session starts, refreshes or ends. */
export function onSession(fn) {
  listeners.add(fn);
}

export function currentSession() {
  return session;
}

export function token() {
  return session ? session.token : null;
}

const RANK = { viewer: 1, operator: 2, admin: 3 };

/** Whether the signed-in role covers `role` (viewer < operator < admin; worker reads nothing). */
export function can(role) {
  const mine = session && session.user && session.user.role;
  return (RANK[mine] || 0) >= (RANK[role] || 99);
}

function fromTokens(t, user) {
  const life = (Number(t.expires_in) || 900) * 1000;
  return {
    kind: 'user',
    token: t.token || t.access_token,
    refreshToken: t.refresh_token,
    life,
    expiresAt: Date.now() + life,
    user: t.user || user,
  };
}

/** Refresh a little before expiry: a minute early, or a fifth of the lifetime if shorter. */
function schedule() {
  clearTimeout(refreshTimer);
  refreshTimer = null;
  if (!session || !session.refreshToken) return;
  const lead = Math.min(60000, session.life / 5);
  const due = Math.max(0, session.expiresAt - lead - Date.now());
  refreshTimer = setTimeout(() => refresh().catch(() => {}), due);
}

document.addEventListener('visibilitychange', () => {
  // timers sleep in background tabs: catch up when the tab shows again
  if (document.visibilityState === 'visible' && session && session.refreshToken
      && session.expiresAt - Date.now() < Math.min(60000, session.life / 5)) {
    refresh().catch(() => {});
  }
});

let unreachable = false;

async function raw(method, path, body, credential, headers = {}, as = 'json') {
  const init = { method, headers: { Accept: as === 'json' ? 'application/json' : '*/*', ...headers } };
  if (credential) init.headers.Authorization = `Bearer ${credential}`;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    unreachable = true;
    throw new ApiError(0, null, 'the hub cannot be reached');
  }
  if (unreachable && res.status < 500) {
    // the hub answers again: the live feed, waiting out its backoff, may reconnect now
    unreachable = false;
    window.dispatchEvent(new Event('hive:reachable'));
  }
  const type = res.headers.get('Content-Type') || '';
  if (!res.ok) {
    let payload = null;
    if (type.startsWith('application/json')) {
      try { payload = await res.json(); } catch (e) { payload = null; }
    }
    throw new ApiError(res.status, payload);
  }
  if (as === 'text') return res.text();
  if (res.status === 204 || !type.startsWith('application/json')) return null;
  return res.json();
}

export async function login(username, password) {
  const t = await raw('POST', '/api/auth/login', { username, password });
  save(fromTokens(t));
  return session;
}

/** An API key as the session's credential: checked with /api/auth/me; it never expires here. */
export async function loginWithKey(key) {
  const me = await raw('GET', '/api/auth/me', undefined, key);
  save({ kind: 'key', token: key, user: me });
  return session;
}

export async function logout() {
  const s = session;
  save(null, 'signed out');
  if (s && s.refreshToken) {
    try {
      await raw('POST', '/api/auth/logout', { refresh_token: s.refreshToken });
    } catch (e) {
      // the session is gone here either way
    }
  }
}

/** One refresh at a time; a refused refresh ends the session. */
export function refresh() {
  if (refreshing) return refreshing;
  const s = session;
  if (!s || !s.refreshToken) return Promise.reject(new ApiError(401, null, 'not signed in'));
  refreshing = raw('POST', '/api/auth/refresh', { refresh_token: s.refreshToken })
    .then(t => {
      if (session === s) save(fromTokens(t, s.user));
      return session;
    })
    .catch(e => {
      if ((e.status === 401 || e.status === 400) && session === s) save(null, 'Your session expired: sign in again.');
      throw e;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

async function call(method, path, body, headers, as) {
  const s = session;
  if (!s) throw new ApiError(401, null, 'not signed in');
  if (s.refreshToken && s.expiresAt - Date.now() < 5000) {
    await refresh().catch(() => {});
  }
  try {
    return await raw(method, path, body, token(), headers, as);
  } catch (e) {
    if (e.status !== 401 || !session) throw e;
    if (session.refreshToken) {
      await refresh(); // throws (and ends the session) when refused
      return raw(method, path, body, token(), headers, as);
    }
    save(null, 'The hub refused the API key: sign in again.');
    throw e;
  }
}

export const api = {
  get: (path) => call('GET', path),
  post: (path, body, headers) => call('POST', path, body === undefined ? {} : body, headers),
  del: (path) => call('DELETE', path),
  /** NDJSON (the audit stream) as an array of objects. */
  ndjson: async (path) => {
    const text = await call('GET', path, undefined, { Accept: 'application/x-ndjson' }, 'text');
    return text.split('\n').filter(l => l.trim()).map(l => JSON.parse(l));
  },
};

/** Every page of a list route, up to `maxPages`: {items, more}. */
export async function allPages(path, maxPages = 5) {
  const items = [];
  let cursor = null;
  for (let i = 0; i < maxPages; i++) {
    const sep = path.includes('?') ? '&' : '?';
    const page = await api.get(cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path);
    items.push(...(page.items || []));
    cursor = page.next_cursor;
    if (!cursor) return { items, more: false };
  }
  return { items, more: true };
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
