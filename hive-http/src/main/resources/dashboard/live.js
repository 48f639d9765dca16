// The hub's event feed, live: a fetch of /api/events (Server-Sent Events) with the token in the
// Authorization header, its body read and split into events here. Not EventSource: it cannot send
// a header, so the token had to ride in the URL, and the browser prints that URL in its console
// whenever the stream drops. Every event carries its journal offset; after a drop the feed
// reconnects with since=<last offset> (and the current token, which may have been refreshed
// meanwhile), so nothing is missed and nothing is seen twice.
import { token, api } from './api.js';

// The feed is asked for unnamed SSE events (event_names=false): each event's type is in its data,
// so every type the hub journals reaches the listeners, even one added after this page was written.
const FLUSH_MS = 100;

/** Backoff after the nth failure in a row: 0.5 s doubling to 15 s, ±20 % so pages spread out. */
function backoff(failures) {
  return Math.min(15000, 500 * 2 ** Math.min(failures - 1, 5)) * (0.8 + Math.random() * 0.4);
}

/**
 * Server-Sent Events from text as it arrives, in chunks cut anywhere: lines end in CRLF, LF or CR;
 * a blank line ends an event, whose data lines are joined by LF. Comments (keep-alives) and the
 * id, event and retry fields are skipped: the offset and the type are in each event's data.
 */
export class SseParser {
  constructor(onData) {
    this.onData = onData;
    this.rest = '';
    this.data = [];
  }

  push(text) {
    let buf = this.rest + text;
    const cr = buf.endsWith('\r'); // maybe the first half of a CRLF: wait for the next chunk
    if (cr) buf = buf.slice(0, -1);
    const lines = buf.replace(/\r\n?/g, '\n').split('\n');
    this.rest = lines.pop() + (cr ? '\r' : '');
    for (const line of lines) this.line(line);
  }

  line(line) {
    if (line === '') {
      if (this.data.length) {
        const data = this.data.join('\n');
        this.data = [];
        this.onData(data);
      }
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    if ((colon < 0 ? line : line.slice(0, colon)) !== 'data') return;
    const value = colon < 0 ? '' : line.slice(colon + 1);
    this.data.push(value.startsWith(' ') ? value.slice(1) : value);
  }
}

export class LiveFeed {
  constructor() {
    this.lastOffset = 0;
    this.controller = null; // aborts the stream being read
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
    if (!this.reachable) {
      // the lists found the hub answering again: no need to wait out the backoff (up to 18 s)
      this.reachable = () => {
        if (this.state === 'reconnecting' && !this.controller && !this.stopped) {
          clearTimeout(this.retryTimer);
          this.connect();
        }
      };
      window.addEventListener('hive:reachable', this.reachable);
    }
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.abort();
    this.setState('off');
  }

  abort() {
    if (this.controller) this.controller.abort();
    this.controller = null;
  }

  connect() {
    this.abort();
    const credential = token();
    if (!credential || this.stopped) return;
    this.setState(this.failures ? 'reconnecting' : 'connecting');
    const controller = new AbortController();
    this.controller = controller;
    this.read(credential, controller.signal).then(outcome => {
      // a stream aborted on purpose (stop, or a newer connect) is not a drop
      if (this.controller !== controller) return;
      this.controller = null;
      this.retry(outcome === 'refused');
    });
  }

  /** Reads one stream to its end: 'refused' when the hub refused the token, else 'ended'. */
  async read(credential, signal) {
    const q = new URLSearchParams({ since: String(this.lastOffset), event_names: 'false' });
    try {
      const res = await fetch(`/api/events?${q}`, {
        headers: { Authorization: `Bearer ${credential}`, Accept: 'text/event-stream' },
        cache: 'no-store',
        signal,
      });
      if (res.status === 401) return 'refused';
      if (!res.ok || !res.body || signal.aborted) return 'ended';
      this.failures = 0;
      this.openedAt = Date.now();
      this.setState('live');
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      const parser = new SseParser(data => this.receive(data));
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.push(decoder.decode(value, { stream: true }));
      }
    } catch (e) {
      // the network, or an abort: either way this stream is over
    }
    return 'ended';
  }

  retry(refused) {
    if (this.stopped) return;
    this.failures++;
    this.setState('reconnecting');
    // a refused token goes straight to the check below; other drops back off
    const delay = refused && this.failures === 1 ? 0 : backoff(this.failures);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(async () => {
      if (refused || this.failures >= 2) {
        // the API refreshes the token, or ends the session (and so this feed), on a 401
        try { await api.get('/api/auth/me'); } catch (e) { if (e.status === 401) return; }
        // that answer may itself have found the hub back, and the feed reconnected meanwhile
        if (this.controller || this.stopped) return;
      }
      this.connect();
    }, delay);
  }

  receive(data) {
    let e;
    try {
      e = JSON.parse(data);
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
