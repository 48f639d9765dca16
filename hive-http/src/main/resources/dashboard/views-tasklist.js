// Tasks: one page of /api/tasks at a time (newest first unless asked otherwise), its filters, search
// order and sort kept in the URL (#/tasks?status=pending&q=report&sort=priority), a column sorted by
// clicking its heading (again: the other way), paging on and back with the API's cursors, the page's
// rows kept live from the feed, a selection cancelled or retried in one request (each outcome shown).
import { api, can, query } from './api.js';
import { AgentStore } from './store.js';
import { recent } from './live.js';
import { TASK_STATUSES, statusLabel } from './statuses.js';
import { h, replace, chip, card, fmtDur, fmtTime, shortId, throttle, toast, explainError, ms, agentLabel, hubDown, downNotice, DOWN_RETRY_MS } from './util.js';

const STATUSES = ['', ...TASK_STATUSES];
const PRIORITIES = ['', 'critical', 'high', 'medium', 'low'];
const PAGE = 50; // rows a page shows, however many tasks the hub holds
const FILTERS = ['status', 'priority', 'agent_id', 'q', 'order', 'sort'];
// heading -> the API's sort; a title reads best A to Z first, the rest highest (or newest) first
const SORTS = { task: 'title', status: 'status', priority: 'priority', agent: 'agent', attempts: 'attempts', submitted: 'created' };
const ASCENDING_FIRST = new Set(['title', 'agent']);

const waitOf = t => (ms(t.created_at) !== null && ms(t.started_at) !== null ? ms(t.started_at) - ms(t.created_at) : null);
const runOf = t => (ms(t.started_at) !== null && ms(t.completed_at) !== null ? ms(t.completed_at) - ms(t.started_at) : null);

export function tasksView(main, { navigate, query: params }) {
  const select = (name, values) => h('select', { id: `tasks-filter-${name}`, dataset: { testid: `tasks-filter-${name}` } },
    values.map(v => h('option', { value: v, selected: v === (params.get(name) || '') }, statusLabel(v) || 'any')));
  const f = {
    status: select('status', STATUSES),
    priority: select('priority', PRIORITIES),
    agent_id: h('select', { id: 'tasks-filter-agent', dataset: { testid: 'tasks-filter-agent' } }, h('option', { value: '' }, 'any')),
    q: h('input', { id: 'tasks-search', type: 'search', placeholder: 'title, id or agent', value: params.get('q') || '', dataset: { testid: 'tasks-search' } }),
    order: h('select', { id: 'tasks-order', dataset: { testid: 'tasks-order' } },
      ['newest', 'oldest'].map(o => h('option', { value: o, selected: o === (params.get('order') || 'newest') }, `${o} first`))),
  };
  const wantedAgent = params.get('agent_id') || '';
  let sort = Object.values(SORTS).includes(params.get('sort')) ? params.get('sort') : 'created';
  let at = { cursor: params.get('cursor'), before: params.get('before') };
  const body = h('div', { class: 'table-wrap' });
  const count = h('span', { class: 'muted small', dataset: { testid: 'tasks-count' } });
  const error = h('p', { class: 'form-error', hidden: true });
  const prev = h('button', { class: 'btn', type: 'button', dataset: { testid: 'tasks-prev' } }, '← Newer');
  const next = h('button', { class: 'btn', type: 'button', dataset: { testid: 'tasks-next' } }, 'Older →');
  const bulkBar = h('div', { class: 'actions', dataset: { testid: 'tasks-bulk' } });
  const bulkResult = h('div', { class: 'muted small', dataset: { testid: 'bulk-result' } });
  const agents = new AgentStore(renderAgentOptions);
  const selected = new Set();
  const mounted = Date.now();
  let page = null;
  let loading = 0;
  // while the hub does not answer: no count, the page read before marked stale, asked for again
  const down = downNotice();
  let failing = false;
  let retryTimer = null;
  let readAt = null;

  function filters() {
    const out = {};
    for (const k of FILTERS) {
      if (k !== 'sort') out[k] = k === 'agent_id' && !agents.loaded ? wantedAgent : f[k].value.trim();
    }
    if (out.order === 'newest') out.order = '';
    out.sort = sort === 'created' ? '' : sort;
    return out;
  }

  function renderAgentOptions() {
    const chosen = f.agent_id.value || wantedAgent;
    replace(f.agent_id, h('option', { value: '' }, 'any'),
      agents.list().map(a => h('option', { value: a.id, selected: a.id === chosen }, a.name)));
    if (page) render();
  }

  function render() {
    count.hidden = failing;
    if (!page) {
      prev.disabled = true;
      next.disabled = true;
      replace(body, h('div', { class: 'empty', dataset: { testid: 'tasks-empty' } }, failing ? 'Nothing to show until the hub answers.' : 'Loading…'));
      return;
    }
    const older = (f.order.value || 'newest') === 'newest';
    prev.textContent = older ? '← Newer' : '← Older';
    next.textContent = older ? 'Older →' : 'Newer →';
    prev.disabled = !page.prev_cursor;
    next.disabled = !page.next_cursor;
    const desc = (f.order.value || 'newest') === 'newest';
    const how = sort === 'created' ? `${desc ? 'newest' : 'oldest'} first` : `by ${sort}, ${desc ? 'highest' : 'lowest'} first`;
    count.textContent = `${page.total} task${page.total === 1 ? '' : 's'} match, ${how}; ${page.items.length} on this page`;
    count.dataset.total = page.total;
    renderBulk();
    if (!page.items.length) {
      replace(body, h('div', { class: 'empty', dataset: { testid: 'tasks-empty' } }, 'No tasks match.'));
      return;
    }
    const names = agents.names();
    const operator = can('operator');
    const all = operator ? h('input', { type: 'checkbox', 'aria-label': 'select the page', dataset: { testid: 'tasks-select-page' },
      checked: page.items.every(t => selected.has(t.id)),
      onchange: ev => { for (const t of page.items) ev.target.checked ? selected.add(t.id) : selected.delete(t.id); render(); } }) : null;
    replace(body, h('table', { id: 'tasks-table', class: failing ? 'stale' : null, dataset: failing ? { testid: 'tasks-table', stale: 'true' } : { testid: 'tasks-table' } },
      failing ? h('caption', { class: 'muted small' }, `as read at ${fmtTime(readAt)}, not current`) : null,
      h('thead', null, h('tr', null, operator ? h('th', null, all) : null, ['task', 'status', 'priority', 'agent'].map(c => heading(c)),
        heading('attempts', 'num'), heading('submitted'), h('th', { class: 'num' }, 'wait'), h('th', { class: 'num' }, 'run'))),
      h('tbody', null, page.items.map(t => row(t, names, operator)))));
  }

  /** A column heading that sorts by its column: again, the other way round. */
  function heading(label, cls) {
    const by = SORTS[label];
    const desc = (f.order.value || 'newest') === 'newest';
    const on = by === sort;
    return h('th', { class: `sortable${cls ? ` ${cls}` : ''}`, 'aria-sort': on ? (desc ? 'descending' : 'ascending') : 'none',
      dataset: { testid: `sort-${label}`, sorted: on ? (desc ? 'desc' : 'asc') : '' },
      onclick: () => {
        f.order.value = on ? (desc ? 'oldest' : 'newest') : (ASCENDING_FIRST.has(by) ? 'oldest' : 'newest');
        sort = by;
        relabelOrder();
        refilter();
      } }, label, on ? (desc ? ' ▾' : ' ▴') : '');
  }

  /** The order's words follow the sort: newest/oldest by creation, highest/lowest by a column. */
  function relabelOrder() {
    for (const o of f.order.options) {
      o.textContent = sort === 'created' ? `${o.value} first` : `${o.value === 'newest' ? 'highest' : 'lowest'} first`;
    }
  }

  function row(t, names, operator) {
    const box = operator ? h('td', { onclick: ev => ev.stopPropagation() }, h('input', { type: 'checkbox', 'aria-label': `select ${t.title}`,
      checked: selected.has(t.id), dataset: { testid: 'task-select' },
      onchange: ev => { ev.target.checked ? selected.add(t.id) : selected.delete(t.id); renderBulk(); } })) : null;
    return h('tr', { class: 'clickable', dataset: { testid: 'task-row', taskId: t.id, status: t.status, title: t.title }, onclick: () => navigate(`#/tasks/${t.id}`) },
      box,
      h('td', null, h('a', { href: `#/tasks/${t.id}` }, t.title), h('div', { class: 'muted small mono' }, shortId(t.id))),
      h('td', null, chip(t.status, 'task-row-status')), h('td', null, chip(t.priority)),
      h('td', null, agentLabel(t.assigned_agent, names)), h('td', { class: 'num' }, `${t.attempts}/${t.max_attempts}`),
      h('td', { class: 'muted nowrap' }, fmtTime(t.created_at)), h('td', { class: 'num nowrap' }, fmtDur(waitOf(t))), h('td', { class: 'num nowrap' }, fmtDur(runOf(t))));
  }

  function renderBulk() {
    if (!can('operator')) return;
    const n = selected.size;
    const act = action => h('button', { class: action === 'cancel' ? 'btn danger' : 'btn', type: 'button', disabled: !n,
      dataset: { testid: `tasks-bulk-${action}` }, onclick: () => bulk(action) }, `${action === 'cancel' ? 'Cancel' : 'Retry'} ${n} selected`);
    replace(bulkBar, act('cancel'), act('retry'), n ? h('button', { class: 'btn link', type: 'button', onclick: () => { selected.clear(); render(); } }, 'clear') : null);
  }

  // the API takes at most this many ids a request; a selection kept across pages may hold more
  const BULK_MAX = 500;

  async function bulk(action) {
    const ids = [...selected];
    try {
      const results = [];
      for (let i = 0; i < ids.length; i += BULK_MAX) {
        const r = await api.post('/api/tasks/bulk', { action, ids: ids.slice(i, i + BULK_MAX) });
        results.push(...r.results);
      }
      const succeeded = results.filter(o => o.ok).length;
      const refused = results.filter(o => !o.ok);
      toast(`${succeeded} ${action === 'cancel' ? 'cancelled' : 'retried'}${refused.length ? `, ${refused.length} refused` : ''}`, refused.length > 0);
      replace(bulkResult, refused.length ? `Refused: ${refused.slice(0, 10).map(o => `${shortId(o.id)} (${o.message || o.error})`).join('; ')}${refused.length > 10 ? '…' : ''}` : '');
      bulkResult.dataset.succeeded = succeeded;
      selected.clear();
      load();
    } catch (e) {
      toast(explainError(e), true);
    }
  }

  async function load() {
    const mine = ++loading;
    clearTimeout(retryTimer);
    try {
      const got = await api.get(`/api/tasks${query({ ...filters(), cursor: at.before ? '' : at.cursor, before: at.before, limit: PAGE })}`);
      if (mine !== loading) return; // a newer request answers for the view
      page = got;
      readAt = Date.now();
      error.hidden = true;
      failing = false;
    } catch (e) {
      if (mine !== loading) return;
      failing = hubDown(e);
      error.textContent = explainError(e);
      error.hidden = failing; // said once, by the notice
      if (failing) retryTimer = setTimeout(load, DOWN_RETRY_MS);
    }
    down.hidden = !failing;
    render();
  }

  /** The URL says what is shown, so a reload or a shared link shows it again. */
  function remember() {
    history.replaceState(null, '', `#/tasks${query({ ...filters(), cursor: at.cursor, before: at.before })}`);
  }

  function refilter() {
    at = { cursor: null, before: null };
    selected.clear();
    remember();
    load();
  }

  const refetch = throttle(async ids => {
    await Promise.all([...ids].slice(0, PAGE).map(async id => {
      try {
        const t = await api.get(`/api/tasks/${encodeURIComponent(id)}`);
        const i = page.items.findIndex(x => x.id === id);
        if (i >= 0) page.items[i] = t;
      } catch (e) {
        // a row that cannot be read now keeps what it showed; the next load tells
      }
    }));
    render();
  }, 500);
  const reload = throttle(() => load(), 1000);

  for (const k of ['status', 'priority', 'agent_id', 'order']) f[k].addEventListener('change', refilter);
  f.q.addEventListener('input', throttle(refilter, 300));
  prev.addEventListener('click', () => { at = { cursor: null, before: page.prev_cursor }; remember(); load(); });
  next.addEventListener('click', () => { at = { cursor: page.next_cursor, before: null }; remember(); load(); });
  replace(main,
    h('div', { class: 'view-head' }, h('h1', null, 'Tasks'), count,
      can('operator') ? h('div', { class: 'actions' }, h('a', { class: 'btn primary', href: '#/new-task' }, 'Submit task')) : null),
    h('form', { class: 'toolbar', id: 'tasks-filters', onsubmit: ev => { ev.preventDefault(); refilter(); } },
      h('label', { class: 'field' }, 'search', f.q), h('label', { class: 'field' }, 'status', f.status),
      h('label', { class: 'field' }, 'priority', f.priority), h('label', { class: 'field' }, 'agent', f.agent_id),
      h('label', { class: 'field' }, 'order', f.order), h('button', { class: 'btn', type: 'submit', dataset: { testid: 'tasks-reload' } }, 'Reload')),
    error, down, h('div', { class: 'toolbar' }, bulkBar, bulkResult),
    card(null, body), h('div', { class: 'toolbar pager' }, prev, next));
  replace(body, h('div', { class: 'empty', dataset: { testid: 'tasks-empty' } }, 'Loading…'));
  relabelOrder();
  load();
  agents.loadAll().catch(() => {});
  const tick = setInterval(() => { if (!at.cursor && !at.before) load(); }, 15000);

  return {
    onEvents(batch) {
      if (!page) return;
      const onPage = new Set(page.items.map(t => t.id));
      const firstPage = !at.cursor && !at.before && sort === 'created' && (f.order.value || 'newest') === 'newest';
      for (const e of batch) {
        if (!recent(e, mounted)) continue; // older events are in the page as loaded
        if (e.entity_kind === 'task' && onPage.has(e.entity_id)) refetch(e.entity_id);
        else if (e.entity_kind === 'task' && e.type === 'TaskSubmitted' && firstPage) reload();
        if (e.entity_kind === 'agent' && e.type === 'AgentRegistered') agents.refetch(e.entity_id);
      }
    },
    unmount() { clearInterval(tick); clearTimeout(retryTimer); refetch.cancel(); reload.cancel(); agents.stop(); },
  };
}
