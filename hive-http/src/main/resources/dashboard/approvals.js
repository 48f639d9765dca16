// The open approvals the signed-in user may decide (GET /api/approvals?mine=true), kept current for
// the nav's Inbox badge, the Inbox and a workflow's waiting steps. The list is read from the hub's
// read tables, which follow the journal within about a second: a task event triggers a read at
// once (at most one a second) and one more a little later, so an approval that opened or closed
// with that event is seen either way. A slow poll covers a feed that is down.
import { api } from './api.js';
import { throttle, hubDown } from './util.js';

const SETTLE_MS = 1500;
const POLL_MS = 10000;

export class ApprovalStore {
  constructor() {
    this.items = []; // Task JSON, oldest first, each with its `approval`
    this.truncated = false;
    this.loaded = false;
    this.error = null; // the last read's ApiError; null once a read succeeds
    this.listeners = new Set();
    this.settleTimer = null;
    this.pollTimer = null;
    this.decided = new Set(); // decided here: a read begun before the decision must not bring them back
    this.generation = 0; // bumped on stop, so a read for the user signed out is dropped
    this.read = throttle(() => this.load(), 1000);
  }

  /** fn() after every read, and when an item is dropped; returns the unsubscribe. */
  onChange(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  changed() {
    for (const fn of this.listeners) fn();
  }

  start() {
    this.stop();
    this.read();
    this.pollTimer = setInterval(() => this.read(), POLL_MS);
  }

  stop() {
    this.generation++;
    this.decided.clear();
    this.error = null;
    clearInterval(this.pollTimer);
    clearTimeout(this.settleTimer);
    this.read.cancel();
    this.items = [];
    this.loaded = false;
  }

  async load() {
    const generation = this.generation;
    try {
      const list = await api.get('/api/approvals?mine=true');
      if (generation !== this.generation) return;
      this.items = (list.items || []).filter(t => !this.decided.has(t.id));
      this.truncated = !!list.truncated;
      this.loaded = true;
      this.error = null;
    } catch (e) {
      if (generation !== this.generation) return;
      // a 401 ends the session (and stops this store); anything else is shown where it is read
      this.error = e;
      if (!hubDown(e)) this.loaded = true;
    }
    this.changed();
  }

  /** Task events may open or close an approval: read now, and again once the tables caught up. */
  touch(batch) {
    if (!batch.some(e => e.entity_kind === 'task')) return;
    this.read();
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.read(), SETTLE_MS);
  }

  /** Drops an approval decided here, before the next read says so. */
  drop(taskId) {
    this.decided.add(taskId);
    const before = this.items.length;
    this.items = this.items.filter(t => t.id !== taskId);
    if (this.items.length !== before) this.changed();
  }

  has(taskId) {
    return this.items.some(t => t.id === taskId);
  }

  /** The badge's text: the count, "500+" when the hub listed only part of them. */
  countText() {
    return `${this.items.length}${this.truncated ? '+' : ''}`;
  }
}

export const approvals = new ApprovalStore();
