// The hub's event feed, live: an EventSource on /api/events?access_token=…. Every event carries its
// journal offset; after a drop the feed reconnects with since=<last offset> (and the current token,
// which may have been refreshed meanwhile), so nothing is missed and nothing is seen twice.
import { token, api } from './api.js';

// The feed is asked for unnamed SSE events (event_names=false): EventSource hands a named event
// only to a listener for that name, so a fixed list of names here would hide every type the hub
// journals that the list lacks. Each event's type is in its data.
const FLUSH_MS = 100;

export class LiveFeed {
  constructor() {
    this.lastOffset = 0;
    this.source = null;
    this.listeners = new Set();
    this.stateListeners = new Set();
    this.queue = [];
    this.flushTimer = null;
    this.retryTimer = null;
    this.failures = 0;
    this.state = 'off';
    this.received = 0;
    this.openedAt = null;
  }

  /** fn(batch of events, oldest first); batches come at most every 100 ms. */
  onEvents(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  onState(fn) {
    this.stateListeners.add(fn);
    fn(this.state);
  }

  setState(s) {
    if (this.state === s) return;
    this.state = s;
    for (const fn of this.stateListeners) fn(s);
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    if (this.source) this.source.close();
    this.source = null;
    this.setState('off');
  }

  connect() {
    if (this.source) this.source.close();
    const credential = token();
    if (!credential || this.stopped) return;
    this.setState(this.failures ? 'reconnecting' : 'connecting');
    const q = new URLSearchParams({ since: String(this.lastOffset), event_names: 'false', access_token: credential });
    const es = new EventSource(`/api/events?${q}`);
    this.source = es;
    const handle = msg => this.receive(msg);
    es.onmessage = handle;
    es.onopen = () => {
      this.failures = 0;
      this.openedAt = Date.now();
      this.setState('live');
    };
    es.onerror = () => {
      // EventSource would retry by itself with the URL's old token: take over instead
      if (this.source !== es) return;
      es.close();
      this.source = null;
      this.retry();
    };
  }

  retry() {
    if (this.stopped) return;
    this.failures++;
    this.setState('reconnecting');
    const delay = Math.min(15000, 500 * 2 ** Math.min(this.failures - 1, 5)) * (0.8 + Math.random() * 0.4);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(async () => {
      if (this.failures >= 2) {
        // a refused token looks like any other drop to EventSource: ask the API, which refreshes
        // the token or ends the session
        try { await api.get('/api/auth/me'); } catch (e) { if (e.status === 401) return; }
      }
      this.connect();
    }, delay);
  }

  receive(msg) {
    let e;
    try {
      e = JSON.parse(msg.data);
    } catch (err) {
      return;
    }
    if (typeof e.offset !== 'number' || e.offset <= this.lastOffset) return;
    this.lastOffset = e.offset;
    this.received++;
    this.queue.push(e);
    if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), FLUSH_MS);
  }

  flush() {
    this.flushTimer = null;
    const batch = this.queue;
    this.queue = [];
    for (const fn of this.listeners) {
      try {
        fn(batch);
      } catch (err) {
        setTimeout(() => { throw err; }); // reported, and the other listeners still run
      }
    }
  }
}

/** The ids an event concerns: its entity, and the agent a task event names. */
export function agentOf(e) {
  const p = e.payload || {};
  if (e.entity_kind === 'agent') return e.entity_id;
  return p.agent_id || (p.agent && p.agent.agent_id) || null;
}

/**
 * Whether an event may be news to a view that read its data at `since` (ms): the feed replays old
 * events first, and those are in what the view read. A minute of slack covers clock skew.
 */
export function recent(e, since) {
  const t = Date.parse(e.timestamp);
  return Number.isNaN(t) || t >= since - 60000;
}
