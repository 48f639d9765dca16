// Schedules: every schedule with its rule, state, next fire times and last runs (each run's task
// status kept current from the feed), and (for an operator) Pause/Resume, Trigger now and Delete. The list and each schedule's history are read
// again when the feed brings a schedule event (a slot fired, a pause, a change: all journaled
// under entity_kind "schedules"), after each button's call, and every 15 s so the next fire
// times move on with the clock.
import { api, can } from './api.js';
import { scheduleRow, shownRuns, COLUMNS } from './schedule-rows.js';
import { TaskStatuses } from './task-statuses.js';
import { h, replace, card, throttle, toast, explainError, hubDown, downNotice, shortId, DOWN_RETRY_MS } from './util.js';

const POLL_MS = 15000;

/** An error from a button's call in words: a viewer's 403 plainly, not as the hub's code. */
function refusal(e, what) {
  if (e.status === 403) return `You may not ${what} schedules: that needs the operator role.`;
  if (e.status === 404) return 'That schedule no longer exists.';
  return `Could not ${what}: ${explainError(e)}`;
}

export function schedulesView(main) {
  const body = h('div', { class: 'table-wrap' });
  const count = h('span', { class: 'muted small', dataset: { testid: 'schedules-count' } });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true, dataset: { testid: 'schedules-error' } });
  // what the last button did, or why the hub refused it: kept until the next press
  const result = h('p', { role: 'status', hidden: true, dataset: { testid: 'schedules-result' } });
  const down = downNotice();
  let list = null; // the schedules as last read
  const histories = new Map(); // name -> history items as last read
  let failing = false;
  let retryTimer = null;
  let gone = false; // unmounted: answers still on their way are dropped
  // row state a redraw keeps: the call in flight, the delete asked to confirm, fire times shown
  const tasks = new TaskStatuses(() => { if (!gone) render(); });
  const ui = { operator: can('operator'), busy: null, confirming: null, expanded: new Set(), statusOf: id => tasks.get(id) };

  /** The task ids the rows show, whose status the view keeps current. */
  function shownTasks() {
    return new Set([...histories.values()].flatMap(hs => shownRuns(hs).map(r => r.task_id)).filter(Boolean));
  }

  function render() {
    count.hidden = failing || !list;
    if (!list) {
      replace(body, h('div', { class: 'empty' }, failing ? 'Nothing to show until the hub answers.' : 'Loading…'));
      return;
    }
    const paused = list.filter(s => s.paused).length;
    count.textContent = `${list.length} schedule${list.length === 1 ? '' : 's'}${paused ? `, ${paused} paused` : ''}`;
    if (!list.length) {
      replace(body, h('div', { class: 'empty', dataset: { testid: 'schedules-empty' } },
        'No schedules yet. POST /api/schedules makes one: a task on a cron expression or an interval.'));
      return;
    }
    const expand = (name, open) => { if (open) ui.expanded.add(name); else ui.expanded.delete(name); };
    replace(body, h('table', { class: failing ? 'stale' : null, dataset: { testid: 'schedules-table' } },
      h('thead', null, h('tr', null, COLUMNS.map(c => h('th', null, c)))),
      h('tbody', null, list.map(s => scheduleRow(s, histories.get(s.name), ui, act, expand)))));
  }

  // names this page is deleting or deleted: a list read just before is not followed by a read of
  // their history, which would answer 404 (and the browser logs every failed request)
  const deleting = new Set();

  async function readHistory(name) {
    if (deleting.has(name)) return;
    try {
      histories.set(name, (await api.get(`/api/schedules/${encodeURIComponent(name)}/history`)).items || []);
    } catch (e) {
      if (e.status === 404) histories.delete(name); // deleted meanwhile: the list drops it too
    }
  }

  let reads = 0; // a slow read answering after a newer one (or after a button's answer) is dropped
  const load = throttle(async () => {
    clearTimeout(retryTimer);
    const mine = ++reads;
    const stale = () => gone || mine !== reads;
    try {
      const page = await api.get('/api/schedules');
      // histories after the list, all at once: at most 100 schedules per hub
      await Promise.all((page.items || []).map(s => readHistory(s.name)));
      await tasks.read(shownTasks());
      if (stale()) return;
      list = (page.items || []).slice().sort((a, b) => a.name.localeCompare(b.name));
      for (const name of histories.keys()) if (!list.some(s => s.name === name)) histories.delete(name);
      for (const name of deleting) if (!list.some(s => s.name === name)) deleting.delete(name); // gone: one made again later is read
      failing = false;
      error.hidden = true;
    } catch (e) {
      if (stale()) return;
      failing = hubDown(e);
      if (!failing) {
        error.textContent = explainError(e);
        error.hidden = false;
      }
      if (failing) retryTimer = setTimeout(() => load(), DOWN_RETRY_MS);
    }
    down.hidden = !failing;
    render();
  }, 1000);

  function said(message, bad = false) {
    result.textContent = message;
    result.className = bad ? 'form-error' : 'notice';
    result.dataset.kind = bad ? 'error' : 'ok';
    result.hidden = false;
  }

  /** A button: its call, then what it did in words (or why not), then the list read again. */
  async function act(what, s) {
    const enc = encodeURIComponent(s.name);
    if (what === 'confirm' || what === 'keep') {
      ui.confirming = what === 'confirm' ? s.name : null;
      render();
      return;
    }
    ui.busy = s.name;
    ui.confirming = null;
    reads++; // what a read already on its way says is older than this button's answer
    render();
    try {
      if (what === 'trigger') {
        const slot = await api.post(`/api/schedules/${enc}/trigger`);
        said(`Triggered ${s.name}: task ${shortId(slot.task_id)}.`);
        await readHistory(s.name);
        await tasks.read([slot.task_id]);
      } else if (what === 'delete') {
        deleting.add(s.name);
        await api.del(`/api/schedules/${enc}`).catch(e => { deleting.delete(s.name); throw e; });
        said(`Deleted ${s.name}.`);
        if (list) list = list.filter(x => x.name !== s.name);
      } else {
        const changed = await api.post(`/api/schedules/${enc}/${what}`);
        said(`${s.name} ${what === 'pause' ? 'paused' : 'resumed'}.`);
        if (list) list = list.map(x => (x.name === s.name ? changed : x));
      }
    } catch (e) {
      said(refusal(e, what), true);
      toast(result.textContent, true);
    } finally {
      ui.busy = null;
    }
    if (gone) return;
    render();
    load();
  }

  replace(main, h('div', { class: 'view-head' }, h('h1', null, 'Schedules'), count), error, result, down, card(null, body));
  render();
  load();
  const tick = setInterval(() => load(), POLL_MS);
  return {
    onEvents(batch) {
      if (batch.some(e => e.entity_kind === 'schedules')) load();
      tasks.touch(batch, shownTasks());
    },
    unmount() {
      gone = true;
      clearInterval(tick);
      clearTimeout(retryTimer);
      load.cancel();
      tasks.stop();
    },
  };
}
