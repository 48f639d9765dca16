// Who did something, as a person reads it. The journal credits an action to `key:<id>`, `user:<name>`
// or `oidc:<subject>`; a key's name is what an operator knows it by, but only an admin may list the
// keys, so an admin sees "ci-bot (key ab12cd34)" and everyone else the label as journaled.
import { api, can, onSession } from './api.js';

let names = null; // key id -> name, as last read
let missing = new Set(); // ids the last read did not have (a worker token, a deleted key): not asked again for them
let loading = false;
let readAt = 0;
let session = 0; // an answer for an earlier sign-in is dropped: key names are an admin's
// a key made after the list was read is not in it: read again, but not more often than this
const REREAD_MS = 5000;
let later = null; // a read put off until REREAD_MS has passed

let signedIn = null; // who the names were read for: a refreshed token is the same person

onSession(s => {
  const user = s && s.user ? `${s.user.id || s.user.username}/${s.user.role}` : null;
  if (user === signedIn) return;
  signedIn = user;
  session++;
  names = null;
  missing = new Set();
  readAt = 0;
  clearTimeout(later);
  later = null;
});

function load() {
  if (loading || later || !can('admin')) return;
  const wait = readAt + REREAD_MS - Date.now();
  if (wait > 0) {
    later = setTimeout(() => { later = null; load(); }, wait); // views redraw when it answers
    return;
  }
  loading = true;
  readAt = Date.now();
  const asked = session;
  api.get('/api/keys')
    .then(page => {
      if (asked !== session) return;
      names = new Map((page.items || []).map(k => [k.id, k.name]));
      for (const fn of waiting) fn();
    })
    .catch(() => {}) // asked again after REREAD_MS, on the next label shown
    .finally(() => { loading = false; });
}

const waiting = new Set();

/** fn() runs when key names arrive (views re-render to show them). */
export function onNames(fn) {
  waiting.add(fn);
  return () => waiting.delete(fn);
}

/** The label of a principal as a person reads it. */
export function who(label) {
  if (typeof label !== 'string') return '';
  if (label.startsWith('user:')) return label.slice(5);
  if (!label.startsWith('key:')) return label;
  const id = label.slice(4);
  const name = names && names.get(id);
  if (!name && !missing.has(id)) {
    if (names) missing.add(id); // one more read for it, then it is known to be nameless
    load();
  }
  return name ? `${name} (key ${id})` : label;
}
