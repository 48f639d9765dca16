// Live overview: counts and rates from /api/hive/status (refetched when events arrive, at most every
// 500 ms), tasks/s and wait/run times from the task events the feed delivers, agents at work.
import { api } from './api.js';
import { TASK_STATUSES, statusLabel } from './statuses.js';
import { AgentStore } from './store.js';
import { chart, hbars, lines, legend, timeLabel } from './charts.js';
import { h, replace, chip, card, fmtDur, fmtPct, fmtNum, fmtAgo, throttle, explainError, agentLabel } from './util.js';

const AGENT_STATES = ['idle', 'working', 'paused', 'disconnected', 'degraded', 'failed', 'retired'];
const PRIORITIES = ['critical', 'high', 'medium', 'low'];

function percentile(values, p) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function overviewView(main, { model, navigate }) {
  const el = {
    meta: h('span', { class: 'muted small', dataset: { testid: 'hive-meta' } }),
    kpis: h('div', { class: 'kpis', dataset: { testid: 'kpis' } }),
    agentStates: h('div', { class: 'chart', id: 'chart-agent-states', dataset: { testid: 'chart-agent-states' } }),
    queue: h('div', { class: 'chart', id: 'chart-queue', dataset: { testid: 'chart-queue' } }),
    taskStatus: h('div', { class: 'chart', id: 'chart-task-status', dataset: { testid: 'chart-task-status' } }),
    rate: h('div', { class: 'chart', id: 'chart-rate', dataset: { testid: 'chart-rate' } }),
    timing: h('div', { class: 'chart', id: 'chart-timing', dataset: { testid: 'chart-timing' } }),
    timingStats: h('div', { class: 'muted small', dataset: { testid: 'timing-stats' } }),
    agents: h('div', { class: 'table-wrap', dataset: { testid: 'overview-agents' } }),
    recent: h('div', { class: 'table-wrap', dataset: { testid: 'overview-recent' } }),
    budgets: h('div', { class: 'table-wrap', dataset: { testid: 'overview-budgets' } }),
    error: h('p', { class: 'form-error', hidden: true }),
  };
  replace(main,
    h('div', { class: 'view-head' }, h('h1', null, 'Overview'), el.meta),
    el.error,
    el.kpis,
    h('div', { class: 'grid' },
      card('Tasks finished per second', [el.rate, h('p', { class: 'muted small' }, 'last 5 minutes, from the event feed')], { span: 4, testid: 'card-rate' }),
      card('Wait and run time', [el.timing, legend([{ name: 'wait (started − submitted)', cls: 's-wait' }, { name: 'run (finished − started)', cls: 's-run' }]), el.timingStats], { span: 4, testid: 'card-timing' }),
      card('Agents by state', el.agentStates, { span: 4, testid: 'card-agent-states' }),
      card('Queue by priority', el.queue, { span: 4, testid: 'card-queue' }),
      card('Tasks by status', el.taskStatus, { span: 4, testid: 'card-task-status' }),
      card('Agents', el.agents, { span: 4, testid: 'card-agents' }),
      card('Recently finished', el.recent, { span: 12, testid: 'card-recent' }),
      card('Budgets: spent in this period against the limit', el.budgets, { span: 12, testid: 'card-budgets' }),
    ));

  let status = null;
  const store = new AgentStore(() => { renderAgents(); renderRecent(); });

  function kpi(label, value, testid) {
    return h('div', { class: 'kpi', dataset: { testid } }, h('div', { class: 'v' }, value), h('div', { class: 'k' }, label));
  }

  function renderStatus() {
    if (!status) return;
    const sum = o => Object.values(o || {}).reduce((a, b) => a + b, 0);
    const a = status.agents || {};
    const t = status.tasks || {};
    el.meta.textContent = `${status.hive_id} · ${status.version} · up ${fmtDur(status.uptime_ms)}`;
    replace(el.kpis,
      kpi('agents', sum(a) - (a.retired || 0), 'kpi-agents'),
      kpi('working', a.working || 0, 'kpi-working'),
      kpi('waiting in queue', sum(status.queue_depth), 'kpi-queue'),
      kpi('in flight', status.in_flight || 0, 'kpi-inflight'),
      kpi('tasks/s (last minute)', fmtNum(status.tasks_per_second_last_minute), 'kpi-rate'),
      kpi('success rate', fmtPct(status.success_rate), 'kpi-success'),
      kpi('completed', t.completed || 0, 'kpi-completed'),
      kpi('failed', t.failed || 0, 'kpi-failed'),
      // pending work no registered agent can take: it waits forever unless an agent is added
      kpi('can never run', (status.waiting_by_reason || {}).no_agent_qualifies || 0, 'kpi-never'),
      // dataset tasks at work: their chunks are among the running, the jobs themselves apart
      status.dataset_jobs_running ? kpi('dataset jobs at work', status.dataset_jobs_running, 'kpi-dataset-jobs') : null);
    chart(el.agentStates, hbars(AGENT_STATES.map(s => ({ label: s, value: a[s] || 0, cls: s }))));
    chart(el.queue, hbars(PRIORITIES.map(p => ({ label: p, value: (status.queue_depth || {})[p] || 0, cls: p }))));
    chart(el.taskStatus, hbars(TASK_STATUSES.map(s => ({ label: statusLabel(s), value: t[s] || 0, cls: s })), { labelWidth: 150 }));
  }

  function renderCharts() {
    const now = Date.now();
    const rate = model.rate(300000, 10000, now);
    chart(el.rate, lines([{ name: 'tasks/s', cls: 'accent', area: true, points: rate.map(r => ({ x: r.t, y: r.rate })) }],
      { xMin: now - 300000, xMax: now, xFormat: timeLabel, yFormat: v => fmtNum(v, 2), height: 150 }));
    // one step per finished task (in the order they finished), labelled with when it finished
    const timings = model.timings(200);
    const when = i => { const x = timings[Math.min(timings.length - 1, Math.max(0, Math.round(i)))]; return x ? timeLabel(x.t) : ''; };
    chart(el.timing, lines([
      { name: 'wait', cls: 'wait', dots: true, points: timings.map((x, i) => ({ x: i, y: x.wait })) },
      { name: 'run', cls: 'run', dots: true, points: timings.map((x, i) => ({ x: i, y: x.run })) },
    ], { xFormat: when, yFormat: v => fmtDur(v), height: 150, empty: 'no finished tasks yet' }));
    const waits = timings.map(x => x.wait);
    const runs = timings.map(x => x.run);
    el.timingStats.textContent = timings.length
      ? `${timings.length} tasks · wait p50 ${fmtDur(percentile(waits, 50))}, p95 ${fmtDur(percentile(waits, 95))} · run p50 ${fmtDur(percentile(runs, 50))}, p95 ${fmtDur(percentile(runs, 95))}`
      : '';
    renderRecent();
  }

  function renderAgents() {
    const agents = store.list();
    if (!agents.length) {
      replace(el.agents, h('div', { class: 'empty' }, 'No agents yet. ', h('a', { href: '#/new-agent' }, 'Register one')));
      return;
    }
    const order = s => ['working', 'idle', 'paused', 'disconnected', 'degraded', 'failed', 'retired'].indexOf(s);
    const list = [...agents].filter(a => a.state !== 'retired').sort((x, y) => order(x.state) - order(y.state)).slice(0, 12);
    replace(el.agents, h('table', null,
      h('thead', null, h('tr', null, h('th', null, 'agent'), h('th', null, 'state'), h('th', { class: 'num' }, 'running'), h('th', { class: 'num' }, 'done'))),
      h('tbody', null, list.map(a => h('tr', { class: 'clickable', dataset: { testid: 'overview-agent-row', agentId: a.id }, onclick: () => navigate(`#/agents/${a.id}`) },
        h('td', null, a.name), h('td', null, chip(a.state)),
        h('td', { class: 'num' }, `${a.running_tasks || 0}/${a.max_concurrency || 1}`),
        h('td', { class: 'num' }, (a.stats && a.stats.tasks_completed) || 0))))));
  }

  function renderRecent() {
    const names = store.names();
    for (const [id, n] of model.names) if (!names.has(id)) names.set(id, n);
    const done = [];
    for (let i = model.finished.length - 1; i >= 0 && done.length < 8; i--) {
      const t = model.tasks.get(model.finished[i].id);
      if (t && !done.includes(t)) done.push(t);
    }
    if (!done.length) {
      replace(el.recent, h('div', { class: 'empty' }, 'Nothing finished yet.'));
      return;
    }
    replace(el.recent, h('table', null,
      h('thead', null, h('tr', null, h('th', null, 'task'), h('th', null, 'status'), h('th', null, 'agent'), h('th', { class: 'num' }, 'run'), h('th', null, 'when'))),
      h('tbody', null, done.map(t => h('tr', { class: 'clickable', dataset: { testid: 'recent-task-row', taskId: t.id }, onclick: () => navigate(`#/tasks/${t.id}`) },
        h('td', null, t.title || t.id), h('td', null, chip(t.status)), h('td', null, agentLabel(t.agent, names)),
        h('td', { class: 'num' }, fmtDur(t.finished - t.lastStart)), h('td', { class: 'muted' }, fmtAgo(t.finished)))))));
  }

  const fetchStatus = throttle(async () => {
    try {
      status = await api.get('/api/hive/status');
      el.error.hidden = true;
      renderStatus();
    } catch (e) {
      el.error.textContent = explainError(e);
      el.error.hidden = false;
    }
  }, 500);
  // spend against budget; a budget that holds work back is marked held (budget_exhausted)
  function renderBudgets(list) {
    const budgets = (list && list.budgets) || [];
    if (!budgets.length) {
      replace(el.budgets, h('div', { class: 'empty' }, 'No budgets set (PUT /api/budgets/{name}).'));
      return;
    }
    replace(el.budgets, h('table', null,
      h('thead', null, h('tr', null, h('th', null, 'budget'), h('th', null, 'on'), h('th', { class: 'num' }, 'spent'),
        h('th', { class: 'num' }, 'limit'), h('th', { class: 'num' }, 'used'), h('th', null, 'period'), h('th', null, 'resets'), h('th', null, ''))),
      h('tbody', null, budgets.map(b => h('tr', { dataset: { testid: 'budget-row', budget: b.name } },
        h('td', null, b.name), h('td', null, `${b.scope} ${b.target}`),
        h('td', { class: 'num' }, `${fmtNum(b.spent, 2)} ${b.metric}`), h('td', { class: 'num' }, fmtNum(b.limit, 2)),
        h('td', { class: 'num' }, b.limit > 0 ? fmtPct(b.spent / b.limit) : '—'), h('td', null, b.period),
        h('td', { class: 'muted' }, b.resets_at ? new Date(b.resets_at).toLocaleString() : 'never'),
        h('td', null, b.exhausted ? chip('held') : ''))))));
  }
  const fetchBudgets = throttle(async () => {
    try {
      renderBudgets(await api.get('/api/budgets'));
    } catch (e) {
      // the status card already says when the hub cannot be read
    }
  }, 2000);

  const fetchAgents = () => store.loadAll().catch(() => {}); // the status card says when the hub cannot be read
  const redraw = throttle(renderCharts, 500);

  fetchStatus();
  fetchBudgets();
  fetchAgents();
  renderCharts();
  // rates decay while nothing happens: look again every few seconds even without events
  const tick = setInterval(() => { fetchStatus(); fetchBudgets(); redraw(); }, 5000);
  const slowTick = setInterval(fetchAgents, 15000);

  return {
    onEvents(batch) {
      fetchStatus();
      fetchBudgets();
      redraw();
      store.touch(batch);
    },
    unmount() {
      clearInterval(tick);
      clearInterval(slowTick);
      fetchStatus.cancel();
      fetchBudgets.cancel();
      store.stop();
      redraw.cancel();
    },
  };
}
