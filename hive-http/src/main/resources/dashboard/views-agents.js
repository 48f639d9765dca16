// Agents: the list (filters state, capability, type, as /api/agents takes them) kept live from the
// feed, sorted by a column when its heading is clicked (every agent is in the page, so here); one
// agent's page is views-agent.js.
import { can, query } from './api.js';
import { AgentStore } from './store.js';
import { h, replace, chip, card, capabilityList, fmtNum, fmtTime, fmtAgo, shortId, explainError, hubDown, downNotice, DOWN_RETRY_MS } from './util.js';

const STATES = ['', 'idle', 'working', 'paused', 'disconnected', 'degraded', 'failed', 'retired'];
const stat = (a, k) => (a.stats || {})[k] || 0;
// heading -> what it sorts by; text A to Z first, numbers and times highest first
const SORTS = {
  name: { key: a => (a.name || '').toLowerCase(), up: true },
  state: { key: a => STATES.indexOf(a.state), up: true },
  type: { key: a => a.type || '', up: true },
  skill: { key: a => a.skill || '', up: true },
  running: { key: a => a.running_tasks || 0 },
  'done / failed': { key: a => stat(a, 'tasks_completed') },
  score: { key: a => stat(a, 'performance_score') },
  'last active': { key: a => a.last_active_at || '' },
};

export function agentsView(main, { navigate }) {
  const f = {
    state: h('select', { id: 'agents-filter-state', dataset: { testid: 'agents-filter-state' } }, STATES.map(s => h('option', { value: s }, s || 'any'))),
    capability: h('input', { id: 'agents-filter-capability', placeholder: 'e.g. code', dataset: { testid: 'agents-filter-capability' } }),
    type: h('input', { id: 'agents-filter-type', placeholder: 'e.g. worker', dataset: { testid: 'agents-filter-type' } }),
  };
  const body = h('div', { class: 'table-wrap' });
  const count = h('span', { class: 'muted small', dataset: { testid: 'agents-count' } });
  const error = h('p', { class: 'form-error', hidden: true });
  const down = downNotice();
  let store;
  // while the hub does not answer: no count (it would count what is not known), the rows read
  // before marked stale, and the list asked for again every few seconds
  let failing = false;
  let retryTimer = null;
  let readAt = null;
  let sorted = null; // { by: heading, up: lowest first }

  function filters() {
    return { state: f.state.value, capability: f.capability.value.trim(), type: f.type.value.trim() };
  }

  function matches(a) {
    const q = filters();
    return (!q.state || a.state === q.state)
      && (!q.capability || (a.capabilities || []).some(c => c.name === q.capability))
      && (!q.type || a.type === q.type);
  }

  function ordered(list) {
    if (!sorted) return list;
    const { key } = SORTS[sorted.by];
    const sign = sorted.up ? 1 : -1;
    return [...list].sort((a, b) => { const x = key(a); const y = key(b); return x < y ? -sign : x > y ? sign : 0; });
  }

  function heading(label, cls) {
    if (!SORTS[label]) return h('th', { class: cls }, label);
    const on = sorted && sorted.by === label;
    return h('th', { class: `sortable${cls ? ` ${cls}` : ''}`, 'aria-sort': on ? (sorted.up ? 'ascending' : 'descending') : 'none',
      dataset: { testid: `agents-sort-${label.replace(/[^a-z]+/g, '-')}`, sorted: on ? (sorted.up ? 'asc' : 'desc') : '' },
      onclick: () => { sorted = { by: label, up: on ? !sorted.up : !!SORTS[label].up }; render(); } },
    label, on ? (sorted.up ? ' ▴' : ' ▾') : '');
  }

  function render() {
    const agents = ordered(store.list());
    count.hidden = failing;
    count.textContent = `${agents.length} agent${agents.length === 1 ? '' : 's'}${store.more ? ' (first 5000)' : ''}`;
    if (!agents.length) {
      replace(body, h('div', { class: 'empty', dataset: { testid: 'agents-empty' } },
        failing ? 'Nothing to show until the hub answers.' : store.loaded ? 'No agents match.' : 'Loading…'));
      return;
    }
    replace(body, h('table', { id: 'agents-table', class: failing ? 'stale' : null, dataset: failing ? { testid: 'agents-table', stale: 'true' } : { testid: 'agents-table' } },
      failing ? h('caption', { class: 'muted small' }, `as read ${readAt ? `at ${fmtTime(readAt)}` : 'before'}, not current`) : null,
      h('thead', null, h('tr', null, ['name', 'state', 'type', 'capabilities (proficiency)', 'skill'].map(c => heading(c)),
        heading('running', 'num'), heading('done / failed', 'num'), heading('score', 'num'), heading('last active'))),
      h('tbody', null, agents.map(a => {
        const row = h('tr', { class: 'clickable', dataset: { testid: 'agent-row', agentId: a.id, agentName: a.name, state: a.state }, onclick: () => navigate(`#/agents/${a.id}`) },
          h('td', null, h('a', { href: `#/agents/${a.id}` }, a.name), h('div', { class: 'muted small mono' }, shortId(a.id))),
          h('td', null, chip(a.state, 'agent-state')), h('td', null, a.type), h('td', null, capabilityList(a.capabilities)),
          h('td', null, a.skill), h('td', { class: 'num' }, `${a.running_tasks || 0}/${a.max_concurrency || 1}`),
          h('td', { class: 'num' }, `${(a.stats || {}).tasks_completed || 0} / ${(a.stats || {}).tasks_failed || 0}`),
          h('td', { class: 'num' }, fmtNum((a.stats || {}).performance_score)), h('td', { class: 'muted' }, fmtAgo(a.last_active_at)));
        if (store.fresh.delete(a.id)) row.classList.add('fresh');
        return row;
      }))));
  }

  async function fetchList() {
    const s = store;
    clearTimeout(retryTimer);
    try {
      await s.loadAll();
      if (s !== store) return; // the filters changed meanwhile: the newer load tells
      readAt = Date.now();
      error.hidden = true;
      setFailing(false);
    } catch (e) {
      if (s !== store) return;
      if (hubDown(e)) {
        error.hidden = true;
        setFailing(true);
      } else {
        error.textContent = explainError(e);
        error.hidden = false;
      }
    }
  }

  function setFailing(on) {
    failing = on;
    down.hidden = !on;
    clearTimeout(retryTimer);
    if (on) retryTimer = setTimeout(fetchList, DOWN_RETRY_MS);
    render();
  }

  function load() {
    const q = filters();
    if (store) store.stop();
    store = new AgentStore(render, `/api/agents${query({ ...q, limit: 1000 })}`, matches);
    render();
    fetchList();
  }

  const form = h('form', { class: 'toolbar', id: 'agents-filters', onsubmit: ev => { ev.preventDefault(); load(); } },
    h('label', { class: 'field' }, 'state', f.state),
    h('label', { class: 'field' }, 'capability', f.capability),
    h('label', { class: 'field' }, 'type', f.type),
    h('button', { class: 'btn', type: 'submit', dataset: { testid: 'agents-apply' } }, 'Apply'));
  f.state.addEventListener('change', load);

  replace(main,
    h('div', { class: 'view-head' }, h('h1', null, 'Agents'), count,
      can('admin') ? h('div', { class: 'actions' }, h('a', { class: 'btn primary', href: '#/new-agent' }, 'Register agent')) : null),
    form, error, down, card(null, body));
  load();
  const tick = setInterval(fetchList, 15000);
  return {
    onEvents: batch => store.touch(batch),
    unmount() { clearInterval(tick); clearTimeout(retryTimer); store.stop(); },
  };
}
