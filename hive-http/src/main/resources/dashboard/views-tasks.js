// One task with its attempts, the assignment explanation (or why it waits) and its history; the
// list of tasks is in views-tasklist.js.
import { api, can } from './api.js';
import { who, onNames } from './who.js';
import { AgentStore } from './store.js';
import { summarize } from './views-events.js';
import { followStream } from './task-stream.js';
import { h, replace, chip, card, fmtNum, fmtScore, fmtDur, fmtTime, shortId, throttle, toast, explainError, ms, bar, agentLabel } from './util.js';

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
  subtasks: 'waiting, without its agent, for the subtasks it handed its work to',
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
      r.candidates ? h('div', { class: 'table-wrap' }, candidatesTable(r, names)) : null,
      (r.skipped || []).length ? h('p', { class: 'muted small', dataset: { testid: 'explain-skipped' } }, 'Passed by: ',
        r.skipped.map((s, i) => [i ? ', ' : '', h('a', { href: `#/agents/${s.agent_id}` }, agentLabel(s.agent_id, names)), ` (${s.why})`])) : null);
  });
}

// The tools an llm agent's loop called in an attempt (its output's tool_calls).
function toolCalls(calls) {
  if (!Array.isArray(calls) || !calls.length) return null;
  return [h('h3', null, 'Tool calls'), h('div', { class: 'table-wrap' }, h('table', { dataset: { testid: 'tool-calls' } },
    h('thead', null, h('tr', null, h('th', null, 'step'), h('th', null, 'tool'), h('th', null, 'where'), h('th', null, 'outcome'), h('th', { class: 'num' }, 'took'))),
    h('tbody', null, calls.map(c => h('tr', { dataset: { testid: 'tool-call', outcome: c.outcome } },
      h('td', { class: 'num' }, String(c.step)), h('td', { class: 'mono' }, c.name), h('td', null, c.source === 'none' ? '–' : c.source),
      h('td', null, h('span', { class: `chip s-${c.outcome === 'ok' ? 'completed' : 'failed'}` }, c.outcome), c.detail ? h('span', { class: 'muted small' }, ` ${c.detail}`) : null),
      h('td', { class: 'num' }, fmtDur(c.duration_ms)))))))];
}

// The subtasks under a task, as nested lists (two levels, 20 per level: at most 21 requests).
function subtaskTree(level) {
  if (!level || !level.nodes.length) return null;
  const more = level.total - level.nodes.length;
  return h('ul', { class: 'subtasks' }, level.nodes.map(n => h('li', { dataset: { testid: 'subtask', taskId: n.task.id, status: n.task.status } },
    chip(n.task.status), ' ', h('a', { href: `#/tasks/${n.task.id}` }, n.task.title || shortId(n.task.id)),
    subtaskTree(n.below))),
    more > 0 ? h('li', { class: 'muted small' }, `and ${more} more`) : null);
}

// the parent a submitted task names (its event's spec), if any
function parentOf(e) {
  const deps = e.payload && e.payload.spec && e.payload.spec.dependencies;
  return deps ? deps.parent_id : null;
}

function inTree(level, taskId) {
  return !!level && level.nodes.some(n => n.task.id === taskId || inTree(n.below, taskId));
}

async function fetchTree(id, depth) {
  const page = await api.get(`/api/tasks/${encodeURIComponent(id)}/children`);
  const items = (page.items || []).slice(0, 20);
  const nodes = await Promise.all(items.map(async t => ({
    task: t,
    below: depth > 1 ? await fetchTree(t.id, depth - 1) : null,
  })));
  return { nodes, total: page.total || 0 };
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
    subtasks: h('div', { dataset: { testid: 'task-subtasks' } }),
    error: h('p', { class: 'form-error', hidden: true }),
    // the running attempt's text, kept across redraws and written to piece by piece
    live: h('pre', { class: 'live-answer', dataset: { testid: 'live-answer' } }),
  };
  let following = null;
  let liveAttempt = null;

  function follow() {
    if (following) return;
    following = followStream(id, (name, data) => {
      if (name === 'so_far') {
        liveAttempt = data.attempt;
        el.live.textContent = data.text || '';
        el.live.dataset.attempt = String(data.attempt);
      } else if (name === 'partial' && data.attempt === liveAttempt) {
        el.live.textContent += data.text;
      } else if (name === 'truncated') {
        el.live.dataset.truncated = 'true';
      } else if (name === 'end') {
        refresh();
        return;
      }
      if (task && !el.result.contains(el.live)) render();
    }, () => { following = null; }); // refused (503), cut or ended: the next refresh follows again
  }
  replace(main, el.head, el.error, h('div', { class: 'grid' },
    card('Task', el.facts, { span: 5, testid: 'task-facts' }),
    card('Result', el.result, { span: 7, testid: 'task-result' }),
    card('Assignment explanation', el.explain, { span: 7, testid: 'card-explanation' }),
    card('History', el.history, { span: 5, testid: 'card-task-history' }),
    card('Subtasks', el.subtasks, { span: 12, testid: 'card-subtasks' })));
  const agents = new AgentStore(() => render());
  let task = null;
  let ex = null;
  let events = [];
  let tree = { nodes: [], total: 0 };

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
      task.parent_id ? [h('dt', null, 'subtask of'), h('dd', null, h('a', { href: `#/tasks/${task.parent_id}`, class: 'mono', dataset: { testid: 'task-parent' } }, shortId(task.parent_id)))] : null,
      task.workflow_id ? [h('dt', null, 'workflow'), h('dd', null, h('a', { href: `#/workflows/${task.workflow_id}`, dataset: { testid: 'task-workflow' } }, task.step || shortId(task.workflow_id)))] : null,
      (task.depends_on || []).length ? [h('dt', null, 'depends on'), h('dd', null, task.depends_on.map((d, i) => [i ? ', ' : '', h('a', { href: `#/tasks/${d}`, class: 'mono' }, shortId(d))]))] : null,
      h('dt', null, 'agent'), h('dd', null, task.assigned_agent ? h('a', { href: `#/agents/${task.assigned_agent}` }, agentLabel(task.assigned_agent, names)) : '–'),
      h('dt', null, 'submitted'), h('dd', null, fmtTime(task.created_at), submitted && submitted.payload.by ? ` by ${who(submitted.payload.by)}` : ''),
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
      open && el.live.textContent ? [h('h3', null, `Live answer (attempt ${liveAttempt})`), el.live] : null,
      r && r.output !== undefined && r.output !== null ? h('pre', { dataset: { testid: 'task-output' } }, JSON.stringify(r.output, null, 2)) : null,
      r && r.output ? toolCalls(r.output.tool_calls) : null,
      task.input !== null && task.input !== undefined ? [h('h3', null, 'Input'), h('pre', null, JSON.stringify(task.input, null, 2))] : null,
      task.progress ? h('p', { class: 'muted small' }, `dataset: ${task.progress.chunks_done} chunks, ${task.progress.records_done} records, ${task.progress.bytes_done} of ${task.progress.bytes_total} bytes`) : null);
    replace(el.explain, explanation(ex, task, names));
    replace(el.subtasks, tree.total ? subtaskTree(tree) : h('p', { class: 'muted' }, 'No subtasks.'));
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
      // the tree is extra: when it cannot be read the rest of the view still shows
      const [t, x, hist, sub] = await Promise.all([api.get(`/api/tasks/${enc}`), api.get(`/api/tasks/${enc}/explain`), api.get(`/api/tasks/${enc}/history`), fetchTree(id, 2).catch(() => tree)]);
      tree = sub;
      task = t;
      ex = x;
      events = hist.events || [];
      el.error.hidden = true;
      if (['assigned', 'running'].includes(task.status)) follow();
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
  const namesArrived = onNames(() => { if (task) render(); }); // "by" with the key's name

  return {
    onEvents(batch) {
      // this task, or one in the tree below it, changed
      if (batch.some(e => e.entity_kind === 'task' && (e.entity_id === id || inTree(tree, e.entity_id) || parentOf(e) === id))) refresh();
    },
    unmount() { refresh.cancel(); agents.stop(); namesArrived(); if (following) following.stop(); },
  };
}
