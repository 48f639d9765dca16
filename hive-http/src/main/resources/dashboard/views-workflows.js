// Workflows: the list (newest first, steps by status, progress) and one workflow with its steps
// laid out by depth with their dependencies drawn (workflow-graph.js), the critical path marked, and
// a cancel button; both follow the feed.
import { api, can } from './api.js';
import { workflowGraph } from './workflow-graph.js';
import { statusLabel } from './statuses.js';
import { WaitingSteps } from './workflow-waiting.js';
import { approvals } from './approvals.js';
import { h, replace, chip, card, fmtDur, fmtTime, shortId, throttle, toast, explainError, ms, bar, hubDown, downNotice, DOWN_RETRY_MS } from './util.js';

// a workflow's own statuses (running, cancelling, completed, failed, cancelled)
const ENDED = ['completed', 'failed', 'cancelled'];
// its steps' counts: done first, then at work, waiting, not started, ended badly
const ORDER = ['completed', 'running', 'assigned', 'waiting_for_approval', 'waiting', 'pending', 'scheduled', 'blocked', 'submitting',
  'failed', 'cancelled', 'expired', 'rejected'];

function durationOf(w) {
  const a = ms(w.created_at);
  const b = ms(w.ended_at) || Date.now();
  return a !== null ? b - a : null;
}

function countChips(counts) {
  return h('span', { class: 'caps' }, ORDER.filter(s => counts && counts[s]).map(s =>
    h('span', { class: `chip s-${s.replace(/[^a-z]/g, '')}`, dataset: { testid: 'wf-count', status: s } }, `${statusLabel(s)} ${counts[s]}`)));
}

export function workflowsView(main, { navigate }) {
  const body = h('div', { class: 'table-wrap' });
  const count = h('span', { class: 'muted small', dataset: { testid: 'workflows-count' } });
  const error = h('p', { class: 'form-error', hidden: true });
  const down = downNotice();
  let list = null;
  let failing = false; // the hub does not answer: no count, the list read before marked stale
  let retryTimer = null;

  function render() {
    count.hidden = failing;
    if (!list) {
      replace(body, h('div', { class: 'empty' }, failing ? 'Nothing to show until the hub answers.' : 'Loading…'));
      return;
    }
    count.textContent = `${list.length} workflow${list.length === 1 ? '' : 's'}, newest first`;
    if (!list.length) {
      replace(body, h('div', { class: 'empty', dataset: { testid: 'workflows-empty' } },
        'No workflows yet. POST /api/workflows submits one: named tasks and what each depends on.'));
      return;
    }
    replace(body, h('table', { class: failing ? 'stale' : null, dataset: failing ? { testid: 'workflows-table', stale: 'true' } : { testid: 'workflows-table' } },
      h('thead', null, h('tr', null, ['workflow', 'status', 'progress', 'steps'].map(c => h('th', null, c)),
        h('th', null, 'submitted'), h('th', { class: 'num' }, 'took'))),
      h('tbody', null, list.map(w => {
        const done = (w.counts && w.counts.completed) || 0;
        return h('tr', { class: 'clickable', dataset: { testid: 'workflow-row', workflowId: w.id, status: w.status }, onclick: () => navigate(`#/workflows/${w.id}`) },
          h('td', null, h('a', { href: `#/workflows/${w.id}` }, w.name || shortId(w.id)), h('div', { class: 'muted small mono' }, shortId(w.id))),
          h('td', null, chip(w.status, 'workflow-row-status')),
          h('td', null, bar(done, w.steps), h('div', { class: 'muted small' }, `${done} of ${w.steps} completed`)),
          h('td', null, countChips(w.counts)),
          h('td', { class: 'muted' }, fmtTime(w.created_at), w.created_by ? ` by ${w.created_by}` : ''),
          h('td', { class: 'num' }, fmtDur(durationOf(w))));
      }))));
  }

  const load = throttle(async () => {
    clearTimeout(retryTimer);
    try {
      list = (await api.get('/api/workflows?limit=100')).items;
      error.hidden = true;
      failing = false;
    } catch (e) {
      failing = hubDown(e);
      error.textContent = explainError(e);
      error.hidden = failing; // said once, by the notice
      if (failing) retryTimer = setTimeout(() => load(), DOWN_RETRY_MS);
    }
    down.hidden = !failing;
    render();
  }, 1000);

  replace(main, h('div', { class: 'view-head' }, h('h1', null, 'Workflows'), count), error, down, card(null, body));
  render();
  load();
  const tick = setInterval(load, 15000);
  const running = () => list && list.some(w => !ENDED.includes(w.status));
  // task events do not say their workflow: while one listed is running, they reload the list
  // at most every 5 s (each reload groups the read table's steps by workflow)
  const stepsMoved = throttle(() => load(), 5000);
  return {
    onEvents(batch) {
      if (batch.some(e => e.entity_kind === 'workflow')) load();
      else if (running() && batch.some(e => e.entity_kind === 'task')) stepsMoved();
    },
    unmount() { clearInterval(tick); clearTimeout(retryTimer); load.cancel(); stepsMoved.cancel(); },
  };
}

function stepsTable(w, critical) {
  return h('table', { dataset: { testid: 'wf-steps' } },
    h('thead', null, h('tr', null, ['step', 'status', 'depends on'].map(c => h('th', null, c)),
      h('th', { class: 'num' }, 'attempts'), h('th', null, 'started'), h('th', { class: 'num' }, 'run'), h('th', null, 'error'))),
    h('tbody', null, w.tasks.map(s => h('tr', { class: critical.has(s.name) ? 'critical' : '', dataset: { testid: 'wf-step', step: s.name, status: s.status, critical: String(critical.has(s.name)) } },
      h('td', null, h('a', { href: `#/tasks/${s.task_id}` }, s.name), h('div', { class: 'muted small mono' }, shortId(s.task_id))),
      h('td', null, chip(s.status)), h('td', null, (s.depends_on || []).join(', ') || '–'),
      h('td', { class: 'num' }, String(s.attempts)), h('td', { class: 'muted' }, fmtTime(s.started_at)),
      h('td', { class: 'num' }, s.started_at ? fmtDur(s.run_ms) : '–'), h('td', { class: 'small' }, s.error || '')))));
}

export function workflowView(main, { params }) {
  const id = params[0];
  const enc = encodeURIComponent(id);
  // steps waiting for a person or a signal, shown (above the graph) while there are any
  const waiting = new WaitingSteps(id, () => settled());
  const el = { waitingCard: card('Waiting for people or signals', waiting.el, { span: 12, testid: 'card-wf-waiting' }), head: h('div', { class: 'view-head' }), facts: h('div'), path: h('div'), graph: h('div'), steps: h('div', { class: 'table-wrap' }), error: h('p', { class: 'form-error', hidden: true }) };
  replace(main, el.head, el.error, h('div', { class: 'grid' },
    card('Workflow', el.facts, { span: 5, testid: 'wf-facts' }),
    card('Critical path', el.path, { span: 7, testid: 'wf-critical' }),
    el.waitingCard,
    card('Steps by depth', el.graph, { span: 12, testid: 'card-wf-graph' }),
    card('Steps', el.steps, { span: 12, testid: 'card-wf-steps' })));
  el.waitingCard.hidden = true;
  let w = null;

  async function cancel() {
    try {
      w = await api.post(`/api/workflows/${enc}/cancel`);
      toast('Cancelling its steps.');
      render();
    } catch (e) {
      toast(explainError(e), true);
    }
  }

  function render() {
    if (!w) return;
    const path = (w.critical_path && w.critical_path.tasks) || [];
    const critical = new Set(path);
    replace(el.head, h('h1', { dataset: { testid: 'wf-name' } }, w.name || shortId(w.id)), chip(w.status, 'wf-status'),
      h('span', { class: 'muted small mono' }, w.id), h('div', { class: 'actions' },
        can('operator') && w.status === 'running' ? h('button', { class: 'btn danger', dataset: { testid: 'wf-cancel' }, onclick: cancel }, 'Cancel') : null));
    replace(el.facts, h('dl', { class: 'facts' },
      h('dt', null, 'submitted'), h('dd', null, fmtTime(w.created_at), w.created_by ? ` by ${w.created_by}` : ''),
      h('dt', null, 'ended'), h('dd', null, fmtTime(w.ended_at)),
      h('dt', null, 'took'), h('dd', null, fmtDur(durationOf(w))),
      h('dt', null, 'steps'), h('dd', null, String(w.tasks.length), ' ', countChips(w.counts))));
    replace(el.path, critical.size && w.critical_path.run_ms > 0
      ? [h('p', { dataset: { testid: 'wf-critical-path' } }, [...critical].join(' → ')),
        h('p', { class: 'muted small' }, `${fmtDur(w.critical_path.run_ms)} of run time: the chain of dependent steps that takes longest, so the one to speed up to finish sooner.`)]
      : h('p', { class: 'muted' }, 'Nothing has run yet.'));
    replace(el.graph, workflowGraph(w, path));
    replace(el.steps, stepsTable(w, critical));
    waiting.update(w.tasks);
    el.waitingCard.hidden = !waiting.steps.length;
  }

  const refresh = throttle(async () => {
    try {
      w = await api.get(`/api/workflows/${enc}`);
      el.error.hidden = true;
      render();
    } catch (e) {
      el.error.textContent = e.status === 404 ? `No workflow ${id}.` : explainError(e);
      el.error.hidden = false;
    }
  }, 500);
  refresh();
  // the steps' statuses come from the read tables, about a second behind the events: read again
  // once they caught up, or a step decided or signalled would show as waiting until the next event
  let settleTimer = null;
  function settled() {
    refresh();
    clearTimeout(settleTimer);
    settleTimer = setTimeout(() => refresh(), 1500);
  }
  const offApprovals = approvals.onChange(() => waiting.render());

  return {
    onEvents(batch) {
      const steps = new Set(w ? w.tasks.map(s => s.task_id) : []);
      if (batch.some(e => (e.entity_kind === 'workflow' && e.entity_id === id) || (e.entity_kind === 'task' && steps.has(e.entity_id)))) settled();
    },
    unmount() { refresh.cancel(); offApprovals(); clearTimeout(settleTimer); },
  };
}
