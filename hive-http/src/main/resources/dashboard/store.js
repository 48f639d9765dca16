// Agents as the views show them: the list read once, then each agent the feed mentions read again
// by id (current at once, unlike the list, which follows the journal within about a second), at
// most every 500 ms.
import { api, allPages } from './api.js';
import { agentOf, recent } from './live.js';
import { throttle } from './util.js';

export class AgentStore {
  /** path: the list route with its filters; matches(agent): whether a re-read agent belongs. */
  constructor(onChange, path = '/api/agents?limit=1000', matches = () => true) {
    this.map = new Map();
    this.onChange = onChange;
    this.path = path;
    this.matches = matches;
    this.fresh = new Set();
    this.more = false;
    this.loaded = false;
    this.createdAt = Date.now();
    this.refetch = throttle(ids => this.fetchIds(ids), 500);
  }

  async loadAll() {
    const { items, more } = await allPages(this.path, 5);
    const map = new Map(items.map(a => [a.id, a]));
    // keep agents read by id meanwhile: the list may not show them yet
    for (const [id, a] of this.map) if (!map.has(id) && this.matches(a)) map.set(id, a);
    this.map = map;
    this.more = more;
    this.loaded = true;
    this.onChange();
  }

  async fetchIds(ids) {
    const list = [...ids].slice(0, 50);
    await Promise.all(list.map(async id => {
      try {
        const a = await api.get(`/api/agents/${encodeURIComponent(id)}`);
        if (!this.map.has(id)) this.fresh.add(id);
        if (this.matches(a)) this.map.set(id, a);
        else this.map.delete(id);
      } catch (e) {
        if (e.status === 404) this.map.delete(id);
      }
    }));
    this.onChange();
  }

  /** Re-read the agents a batch of events concerns. */
  touch(batch) {
    for (const e of batch) {
      if (!recent(e, this.createdAt)) continue; // replayed: in the list as read
      const id = agentOf(e);
      if (id) this.refetch(id);
    }
  }

  names() {
    return new Map([...this.map.values()].map(a => [a.id, a.name]));
  }

  list() {
    return [...this.map.values()];
  }

  stop() {
    this.refetch.cancel();
  }
}
