// The status of a few tasks by id, for a view that shows tasks it did not list itself (a
// schedule's last runs). A task that has ended is read once: its status cannot change again; the
// others are read again when the feed brings an event for them, at most every 500 ms.
import { api } from './api.js';
import { throttle } from './util.js';

const ENDED = new Set(['completed', 'failed', 'cancelled', 'expired', 'rejected']);

export class TaskStatuses {
  constructor(onChange) {
    this.status = new Map(); // task id -> status as last read
    this.onChange = onChange;
    this.refetch = throttle(ids => this.read(ids).then(() => this.onChange()), 500);
  }

  /** Reads the ids not known to have ended (at most 50 at a time; a 404 leaves one unknown). */
  async read(ids) {
    const wanted = [...ids].filter(id => id && !ENDED.has(this.status.get(id))).slice(0, 50);
    await Promise.all(wanted.map(async id => {
      try {
        this.status.set(id, (await api.get(`/api/tasks/${encodeURIComponent(id)}`)).status);
      } catch (e) {
        // unknown for now: the row shows the history's outcome without it
      }
    }));
  }

  get(id) {
    return this.status.get(id);
  }

  /** Re-reads the tasks shown that a batch of events concerns. */
  touch(batch, shown) {
    for (const e of batch) if (e.entity_kind === 'task' && shown.has(e.entity_id)) this.refetch(e.entity_id);
  }

  stop() {
    this.refetch.cancel();
  }
}
