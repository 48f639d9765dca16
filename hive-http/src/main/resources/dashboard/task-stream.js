// A running task's text as its agent produces it: GET /api/tasks/{id}/stream read with fetch (an
// EventSource cannot send the Authorization header), its Server-Sent Events parsed as they come.
import { token } from './api.js';

/**
 * Follows the task's stream until its `end` event, a failure or stop(). `on(name, data)` gets each
 * event: so_far {attempt, text}, partial {attempt, text}, truncated, end {the task}; `closed()` is
 * called once the stream is over, however it ended.
 */
export function followStream(id, on, closed = () => {}) {
  const stopper = new AbortController();
  (async () => {
    try {
      const res = await fetch(`/api/tasks/${encodeURIComponent(id)}/stream`, {
        headers: { Accept: 'text/event-stream', Authorization: `Bearer ${token()}` },
        signal: stopper.signal,
      });
      if (!res.ok || !res.body) return;
      const reader = res.body.getReader();
      const text = new TextDecoder();
      let buffered = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffered += text.decode(value, { stream: true });
        let cut;
        while ((cut = buffered.indexOf('\n\n')) >= 0) {
          const block = buffered.slice(0, cut);
          buffered = buffered.slice(cut + 2);
          const event = parse(block);
          if (event) on(event.name, event.data);
        }
      }
    } catch (e) {
      // stopped, or the hub went away: the view's own refresh shows the task as it ends
    } finally {
      closed();
    }
  })();
  return { stop: () => stopper.abort() };
}

function parse(block) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue; // a keep-alive comment
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (!data.length) return null;
  try {
    return { name, data: JSON.parse(data.join('\n')) };
  } catch (e) {
    return null;
  }
}
