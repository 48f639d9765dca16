// Tasks: the list with the filters /api/tasks takes (status, priority, agent), kept live from the
// feed; one task with its attempts, the assignment explanation and its history.
import { api, can, query, allPages } from './api.js';
import { AgentStore } from './store.js';
import { recent } from './live.js';
import { summarize } from './views-events.js';
import { h, replace, chip, card, fmtNum, fmtScore, fmtDur, fmtTime, shortId, throttle, toast, explainError, ms, bar, agentLabel } from './util.js';

const STATUSES = ['', 'blocked', 'pending', 'assigned', 'running', 'completed', 'failed', 'cancelled'];
const PRIORITIES = ['', 'critical', 'high', 'medium', 'low'];
const PAGES = 5;
const PAGE = 200;

function waitOf(t) {
  const a = ms(t.created_at);
  const b = ms(t.started_at);
  return a !== null && b !== null ? b - a : null;
}

function runOf(t) {
  const b = ms(t.started_at);
  const c = ms(t.completed_at);
  return b !== null && c !== null ? c - b : null;
}

export function tasksView(main, { navigate }) {
  const f = {
    status: h('select', { id: 'tasks-filter-status', dataset: { testid: 'tasks-filter-status' } }, STATUSES.map(s => h('option', { value: s }, s || 'any'))),
    priority: h('select', { id: 'tasks-filter-priority', dataset: { testid: 'tasks-filter-priority' } }, PRIORITIES.map(s => h('option', { value: s }, s || 'any'))),
    agent: h('select', { id: 'tasks-filter-agent', dataset: { testid: 'tasks-filter-agent' } }, h('option', { value: '' }, 'any')),
  };
  const body = h('div', { class: 'table-wrap' });
  const count = h('span', { class: 'muted small', dataset: { testid: 'tasks-count' } });
  const error = h('p', { class: 'form-error', hidden: true });
  const agents = new AgentStore(renderAgentOptions);
  let tasks = new Map();
  let more = false;
  let loaded = false;
  const fresh = new Set();
  const mounted = Date.now();

  function renderAgentOptions() {
    const chosen = f.agent.value;
    replace(f.agent, h('option', { value: '' }, 'any'),
      agents.list().map(a => h('option', { value: a.id, selected: a.id === chosen }, a.name)));
    render();
  }

  function matches(t) {
    return (!f.status.value || t.status === f.status.value) && (!f.priority.value || t.priority === f.priority.value)
      && (!f.agent.value || t.assigned_agent === f.agent.value);
  }

  function render() {
    const list = [...tasks.values()].sort((a, b) => (ms(b.created_at) || 0) - (ms(a.created_at) || 0));
    count.textContent = `${list.length} task${list.length === 1 ? '' : 's'}, newest first${more ? ` (the first ${PAGES * PAGE} the API lists, oldest first: narrow the filters)` : ''}`;
    if (!list.length) {
      replace(body, h('div', { class: 'empty', dataset: { testid: 'tasks-empty' } }, loaded ? 'No tasks match.' : 'Loading…'));
      return;
    }
    const names = agents.names();
    replace(body, h('table', { id: 'tasks-table', dataset: { testid: 'tasks-table' } },
      h('thead', null, h('tr', null, ['task', 'status', 'priority', 'agent'].map(c => h('th', null, c)),
        h('th', { class: 'num' }, 'attempts'), h('th', null, 'submitted'), h('th', { class: 'num' }, 'wait'), h('th', { class: 'num' }, 'run'))),
      h('tbody', null, list.map(t => {
        const row = h('tr', { class: 'clickable', dataset: { testid: 'task-row', taskId: t.id, status: t.status, title: t.title }, onclick: () => navigate(`#/tasks/${t.id}`) },
          h('td', null, h('a', { href: `#/tasks/${t.id}` }, t.title), h('div', { class: 'muted small mono' }, shortId(t.id))),
          h('td', null, chip(t.status, 'task-row-status')), h('td', null, chip(t.priority)),
          h('td', null, agentLabel(t.assigned_agent, names)), h('td', { class: 'num' }, `${t.attempts}/${t.max_attempts}`),
          h('td', { class: 'muted' }, fmtTime(t.created_at)), h('td', { class: 'num' }, fmtDur(waitOf(t))), h('td', { class: 'num' }, fmtDur(runOf(t))));
        if (fresh.delete(t.id)) row.classList.add('fresh');
        return row;
      }))));
  }

  async function load() {
    const q = { status: f.status.value, priority: f.priority.value, agent_id: f.agent.value, limit: PAGE };
    try {
      const page = await allPages(`/api/tasks${query(q)}`, PAGES);
      const next = new Map(page.items.map(t => [t.id, t]));
      for (const [id, t] of tasks) if (!next.has(id) && matches(t) && fresh.has(id)) next.set(id, t);
      tasks = next;
      more = page.more;
      loaded = true;
      error.hidden = true;
      render();
    } catch (e) {
      error.textContent = explainError(e);
      error.hidden = false;
    }
  }

  const refetch = throttle(async ids => {
    await Promise.all([...ids].slice(0, 50).map(async id => {
      try {
        const t = await api.get(`/api/tasks/${encodeURIComponent(id)}`);
        if (!tasks.has(id)) fresh.add(id);
        if (matches(t)) tasks.set(id, t);
        else tasks.delete(id);
      } catch (e) {
        if (e.status === 404) tasks.delete(id);
      }
    }));
    render();
  }, 500);

  for (const sel of Object.values(f)) sel.addEventListener('change', () => { tasks = new Map(); loaded = false; render(); load(); });
  replace(main,
    h('div', { class: 'view-head' }, h('h1', null, 'Tasks'), count,
      can('operator') ? h('div', { class: 'actions' }, h('a', { class: 'btn primary', href: '#/new-task' }, 'Submit task')) : null),
    h('form', { class: 'toolbar', id: 'tasks-filters', onsubmit: ev => { ev.preventDefault(); load(); } },
      h('label', { class: 'field' }, 'status', f.status), h('label', { class: 'field' }, 'priority', f.priority),
      h('label', { class: 'field' }, 'agent', f.agent), h('button', { class: 'btn', type: 'submit', dataset: { testid: 'tasks-reload' } }, 'Reload')),
    error, card(null, body));
  render();
  load();
  agents.loadAll().catch(() => {});
  const tick = setInterval(load, 15000);

  return {
    onEvents(batch) {
      const filtered = f.status.value || f.priority.value || f.agent.value;
      for (const e of batch) {
        if (!recent(e, mounted)) continue; // older events are in the list as loaded
        if (e.entity_kind === 'task' && (tasks.has(e.entity_id) || e.type === 'TaskSubmitted' || filtered)) refetch(e.entity_id);
        if (e.entity_kind === 'agent' && e.type === 'AgentRegistered') agents.refetch(e.entity_id);
      }
    },
    unmount() { clearInterval(tick); refetch.cancel(); agents.stop(); },
  };
}

function candidatesTable(reason, names) {
  const cands = reason.candidates || [];
  const top = Math.max(1, ...cands.map(c => c.score || 0));
  return h('table', { dataset: { testid: 'candidates' } },
    h('thead', null, h('tr', null, h('th', null, 'candidate'), h('th', null, 'score'), h('th', { class: 'num' }, ''), h('th', null, ''))),
    h('tbody', null, cands.map(c => {
      const win = c.agent_id === reason.winner;
      return h('tr', { class: win ? 'winner' : '', dataset: { testid: 'candidate-row', agentId: c.agent_id, winner: String(win) } },
        h('td', null, h('a', { href: `#/agents/${c.agent_id}` }, agentLabel(c.agent_id, names))),
        h('td', null, bar(c.score || 0, top)), h('td', { class: 'num' }, fmtScore(c.score)),
        h('td', null, win ? h('span', { class: 'chip s-completed', dataset: { testid: 'winner-badge' } }, 'winner') : null));
    })));
}

// The matcher's word for why a pending task waits (waiting_reason), as a sentence.
const WAITING = {
  not_before: 'waiting for its retry time',
  budget_exhausted: 'held by an exhausted budget',
  no_agent_qualifies: 'no registered agent has these capabilities, so it can never run until one is added',
  agents_degraded: 'every agent that qualifies is degraded (its endpoint fails fast)',
  agents_paused: 'every agent that qualifies is paused, failed or disconnected',
  all_busy: 'every agent that qualifies is busy',
  dependencies: 'waiting for the tasks it depends on',
};

function explanation(ex, task, names) {
  if (!ex || !(ex.attempts || []).length) {
    const caps = (task.required_capabilities || []).map(c => `${c.name} ≥ ${fmtNum(c.minimum_proficiency)}`).join(', ');
    const why = WAITING[task.waiting_reason];
    return h('div', { class: 'empty', dataset: { testid: 'explain-none', reason: task.waiting_reason || '' } },
      `Not assigned yet${caps ? ` (needs ${caps})` : ''}: ${why || 'waiting for an idle agent'}.`);
  }
  return ex.attempts.map(a => {
    const r = a.reason || {};
    return h('div', { class: 'attempt', dataset: { testid: 'explain-attempt', attempt: a.attempt } },
      h('h3', null, `Attempt ${a.attempt} → `, h('a', { href: `#/agents/${a.agent_id}`, dataset: { testid: 'explain-winner' } }, agentLabel(a.agent_id, names)), ' ', chip(a.outcome || 'running', 'explain-outcome')),
      h('p', { class: 'muted small' }, `policy ${r.policy || '–'} · ${r.qualified ?? '–'} qualified · winner score ${fmtScore(r.winner_score)} · assigned ${fmtTime(a.assigned_at)}`,
        a.ended_at ? ` · ended ${fmtTime(a.ended_at)} (${fmtDur(ms(a.ended_at) - ms(a.assigned_at))})` : '', a.error ? ` · ${a.error}` : ''),
      r.candidates ? h('div', { class: 'table-wrap' }, candidatesTable(r, names)) : null);
  });
}

export function taskView(main, { params }) {
  const id = params[0];
  const enc = encodeURIComponent(id);
  const el = {
    head: h('div', { class: 'view-head' }),
    facts: h('div'),
    result: h('div'),
    explain: h('div', { id: 'task-explanation', dataset: { testid: 'task-explanation' } }),
    history: h('ol', { class: 'timeline', id: 'task-history', dataset: { testid: 'task-history' } }),
    error: h('p', { class: 'form-error', hidden: true }),
  };
  replace(main, el.head, el.error, h('div', { class: 'grid' },
    card('Task', el.facts, { span: 5, testid: 'task-facts' }),
    card('Result', el.result, { span: 7, testid: 'task-result' }),
    card('Assignment explanation', el.explain, { span: 7, testid: 'card-explanation' }),
    card('History', el.history, { span: 5, testid: 'card-task-history' })));
  const agents = new AgentStore(() => render());
  let task = null;
  let ex = null;
  let events = [];

  async function act(what) {
    try {
      task = await api.post(`/api/tasks/${enc}/${what}`);
      toast(what === 'cancel' ? 'Cancelled.' : 'Retrying.');
      render();
      refresh();
    } catch (e) {
      toast(explainError(e), true);
    }
  }

  function render() {
    if (!task) return;
    const names = agents.names();
    const open = ['pending', 'assigned', 'running'].includes(task.status);
    replace(el.head, h('h1', { dataset: { testid: 'task-title' } }, task.title), chip(task.status, 'task-status'), chip(task.priority),
      h('span', { class: 'muted small mono' }, task.id), h('div', { class: 'actions' },
        can('operator') && open ? h('button', { class: 'btn danger', dataset: { testid: 'task-cancel' }, onclick: () => act('cancel') }, 'Cancel') : null,
        can('operator') && task.status === 'failed' ? h('button', { class: 'btn', dataset: { testid: 'task-retry' }, onclick: () => act('retry') }, 'Retry') : null));
    const submitted = events.find(e => e.type === 'TaskSubmitted');
    replace(el.facts, h('dl', { class: 'facts' },
      h('dt', null, 'type'), h('dd', null, task.type),
      h('dt', null, 'needs'), h('dd', null, (task.required_capabilities || []).map(c => `${c.name} ≥ ${fmtNum(c.minimum_proficiency)}`).join(', ') || 'nothing in particular'),
      h('dt', null, 'attempts'), h('dd', { dataset: { testid: 'task-attempts' } }, `${task.attempts} of ${task.max_attempts}`),
      task.workflow_id ? [h('dt', null, 'workflow'), h('dd', null, h('a', { href: `#/workflows/${task.workflow_id}`, dataset: { testid: 'task-workflow' } }, task.step || shortId(task.workflow_id)))] : null,
      (task.depends_on || []).length ? [h('dt', null, 'depends on'), h('dd', null, task.depends_on.map((d, i) => [i ? ', ' : '', h('a', { href: `#/tasks/${d}`, class: 'mono' }, shortId(d))]))] : null,
      h('dt', null, 'agent'), h('dd', null, task.assigned_agent ? h('a', { href: `#/agents/${task.assigned_agent}` }, agentLabel(task.assigned_agent, names)) : '–'),
      h('dt', null, 'submitted'), h('dd', null, fmtTime(task.created_at), submitted && submitted.payload.by ? ` by ${submitted.payload.by}` : ''),
      h('dt', null, 'started'), h('dd', null, fmtTime(task.started_at)),
      h('dt', null, 'finished'), h('dd', null, fmtTime(task.completed_at)),
      h('dt', null, 'wait'), h('dd', { dataset: { testid: 'task-wait' } }, fmtDur(waitOf(task))),
      h('dt', null, 'run'), h('dd', { dataset: { testid: 'task-run' } }, fmtDur(runOf(task))),
      h('dt', null, 'timeout'), h('dd', null, fmtDur(task.timeout_ms)),
      task.deadline ? [h('dt', null, 'deadline'), h('dd', null, fmtTime(task.deadline))] : null,
      task.retry_at ? [h('dt', null, 'retry at'), h('dd', null, fmtTime(task.retry_at))] : null,
      task.idempotency_key ? [h('dt', null, 'idempotency key'), h('dd', { class: 'mono' }, task.idempotency_key)] : null,
      task.description ? [h('dt', null, 'description'), h('dd', null, task.description)] : null));
    const r = task.result;
    replace(el.result,
      r ? h('p', null, chip(r.success ? 'completed' : 'failed'), ` in ${fmtDur(r.duration_ms)}`, r.quality_score !== null && r.quality_score !== undefined ? ` · quality ${fmtNum(r.quality_score)}` : '', r.error ? ` · ${r.error}` : '')
        : h('p', { class: 'muted' }, open ? 'No result yet.' : 'No result.'),
      r && r.output !== undefined && r.output !== null ? h('pre', { dataset: { testid: 'task-output' } }, JSON.stringify(r.output, null, 2)) : null,
      task.input !== null && task.input !== undefined ? [h('h3', null, 'Input'), h('pre', null, JSON.stringify(task.input, null, 2))] : null,
      task.progress ? h('p', { class: 'muted small' }, `dataset: ${task.progress.chunks_done} chunks, ${task.progress.records_done} records, ${task.progress.bytes_done} of ${task.progress.bytes_total} bytes`) : null);
    replace(el.explain, explanation(ex, task, names));
    const t0 = ms(task.created_at);
    replace(el.history, events.length ? events.map(e => {
      const at = ms(e.payload && e.payload.at) || ms(e.timestamp);
      return h('li', { class: `s-${/Completed/.test(e.type) ? 'completed' : /Failed|TimedOut/.test(e.type) ? 'failed' : /Started|Assigned/.test(e.type) ? 'running' : 'pending'}`, dataset: { testid: 'history-item', type: e.type } },
        h('div', null, h('span', { class: 'what' }, e.type), ' ', h('span', { class: 't' }, `${fmtTime(at)}${t0 !== null && at !== null ? ` · +${fmtDur(at - t0)}` : ''}`)),
        h('div', { class: 'muted small' }, summarize(e, names)));
    }) : h('li', { class: 'muted' }, 'No events yet.'));
  }

  const refresh = throttle(async () => {
    try {
      const [t, x, hist] = await Promise.all([api.get(`/api/tasks/${enc}`), api.get(`/api/tasks/${enc}/explain`), api.get(`/api/tasks/${enc}/history`)]);
      task = t;
      ex = x;
      events = hist.events || [];
      el.error.hidden = true;
      const unknown = [task.assigned_agent, ...(ex.attempts || []).flatMap(a => ((a.reason || {}).candidates || []).map(c => c.agent_id))]
        .filter(a => a && !agents.map.has(a));
      for (const a of new Set(unknown)) agents.refetch(a);
      render();
    } catch (e) {
      el.error.textContent = e.status === 404 ? `No task ${id}.` : explainError(e);
      el.error.hidden = false;
    }
  }, 500);
  refresh();

  return {
    onEvents(batch) {
      if (batch.some(e => e.entity_kind === 'task' && e.entity_id === id)) refresh();
    },
    unmount() { refresh.cancel(); agents.stop(); },
  };
}
