// One agent: its capabilities, stats, learning curve (proficiency after each attempt that taught it
// something) and history, kept live from the feed; pause, resume and retire for operators.
import { api, can } from './api.js';
import { who } from './who.js';
import { agentOf } from './live.js';
import { chart, lines, legend } from './charts.js';
import { h, replace, chip, card, fmtNum, fmtDur, fmtTime, fmtAgo, shortId, throttle, toast, explainError, ms, bar } from './util.js';

/**
 * Proficiency per capability over the agent's attempts (x = the nth attempt that taught it
 * something; 0 = registration): a learning curve, not squashed by idle time.
 */
function learningSeries(agent, registered, steps) {
  const caps = new Map();
  for (const c of (registered && registered.capabilities) || agent.capabilities || []) {
    caps.set(c.name, [{ x: 0, y: c.proficiency }]);
  }
  let n = 0;
  let last = null;
  for (const s of [...steps].sort((a, b) => a.t - b.t)) {
    const key = `${s.task}@${s.t}`;
    if (key !== last) n++;
    last = key;
    if (!caps.has(s.capability)) caps.set(s.capability, [{ x: n - 1, y: s.from }]);
    caps.get(s.capability).push({ x: n, y: s.to });
  }
  return {
    attempts: n,
    series: [...caps.entries()].map(([name, points], i) => ({ name, cls: String(i % 6), points, step: true, dots: points.length < 80, extendTo: n })),
  };
}

export function agentView(main, { params, model }) {
  const id = params[0];
  const el = {
    head: h('div', { class: 'view-head' }),
    facts: h('div'),
    caps: h('div'),
    curve: h('div', { class: 'chart', id: 'learning-curve', dataset: { testid: 'learning-curve' } }),
    curveLegend: h('div'),
    curveNote: h('p', { class: 'muted small' }),
    history: h('ol', { class: 'timeline', id: 'agent-history', dataset: { testid: 'agent-history' } }),
    error: h('p', { class: 'form-error', hidden: true }),
  };
  replace(main, el.head, el.error,
    h('div', { class: 'grid' },
      card('Agent', el.facts, { span: 5, testid: 'agent-facts' }),
      card('Capabilities', el.caps, { span: 7, testid: 'agent-capabilities' }),
      card('Learning curve', [el.curve, el.curveLegend, el.curveNote], { span: 12, testid: 'card-learning' }),
      card('History', el.history, { span: 12, testid: 'card-agent-history' })));

  let agent = null;
  let history = [];

  async function act(path, method = 'POST') {
    try {
      if (method === 'DELETE') await api.del(path);
      else await api.post(path);
      toast('Done.');
      refresh();
    } catch (e) {
      toast(explainError(e), true);
    }
  }

  function render() {
    if (!agent) return;
    const st = agent.stats || {};
    const enc = encodeURIComponent(id);
    replace(el.head, h('h1', { dataset: { testid: 'agent-name' } }, agent.name), chip(agent.state, 'agent-detail-state'),
      h('span', { class: 'muted small mono' }, agent.id),
      h('div', { class: 'actions' },
        can('operator') && ['idle', 'working'].includes(agent.state) ? h('button', { class: 'btn', dataset: { testid: 'agent-pause' }, onclick: () => act(`/api/agents/${enc}/pause`) }, 'Pause') : null,
        can('operator') && ['paused', 'failed'].includes(agent.state) ? h('button', { class: 'btn', dataset: { testid: 'agent-resume' }, onclick: () => act(`/api/agents/${enc}/resume`) }, 'Resume') : null,
        can('admin') && agent.state !== 'retired' ? h('button', { class: 'btn danger', dataset: { testid: 'agent-retire' }, onclick: () => act(`/api/agents/${enc}`, 'DELETE') }, 'Retire') : null));
    replace(el.facts, h('dl', { class: 'facts' },
      h('dt', null, 'type'), h('dd', null, agent.type),
      h('dt', null, 'skill'), h('dd', null, agent.skill),
      h('dt', null, 'running'), h('dd', null, `${agent.running_tasks || 0} of ${agent.max_concurrency || 1}`, agent.current_task_id ? [' · ', h('a', { href: `#/tasks/${agent.current_task_id}` }, shortId(agent.current_task_id))] : null),
      h('dt', null, 'completed / failed'), h('dd', null, `${st.tasks_completed || 0} / ${st.tasks_failed || 0}`),
      h('dt', null, 'average duration'), h('dd', null, fmtDur(st.average_duration_ms)),
      h('dt', null, 'performance'), h('dd', null, fmtNum(st.performance_score)),
      st.tokens_used ? [h('dt', null, 'LLM tokens'), h('dd', null, st.tokens_used)] : null,
      h('dt', null, 'experience'), h('dd', null, agent.experience_count || 0),
      h('dt', null, 'registered'), h('dd', null, fmtTime(agent.created_at)),
      h('dt', null, 'last active'), h('dd', null, fmtAgo(agent.last_active_at))));
    replace(el.caps, (agent.capabilities || []).length ? h('table', null,
      h('thead', null, h('tr', null, h('th', null, 'capability'), h('th', null, 'proficiency'), h('th', { class: 'num' }, ''), h('th', { class: 'num' }, 'learning rate'))),
      h('tbody', null, agent.capabilities.map(c => h('tr', { dataset: { testid: 'capability-row', capability: c.name } },
        h('td', null, c.name), h('td', null, bar(c.proficiency)), h('td', { class: 'num' }, fmtNum(c.proficiency, 3)), h('td', { class: 'num' }, fmtNum(c.learning_rate)))))) : h('div', { class: 'empty' }, 'No capabilities.'));
    renderLearning();
    renderHistory();
  }

  function renderLearning() {
    const registered = history.find(e => e.type === 'AgentRegistered');
    const steps = (model.learning.get(id) || []).slice();
    const { series, attempts } = learningSeries(agent, registered && registered.payload.spec, steps);
    // proficiencies move in small steps: show the band they move in (within 0..1)
    const ys = series.flatMap(x => x.points.map(p => p.y));
    const yMin = ys.length ? Math.max(0, Math.floor((Math.min(...ys) - 0.05) * 10) / 10) : 0;
    const yMax = ys.length ? Math.min(1, Math.ceil((Math.max(...ys) + 0.05) * 10) / 10) : 1;
    chart(el.curve, lines(series, {
      yMin, yMax, xMin: 0, xMax: Math.max(1, attempts), height: 200, empty: 'no capabilities', integerX: true,
      xFormat: v => (v === 0 ? 'registered' : `#${v}`), yFormat: v => v.toFixed(2),
    }));
    replace(el.curveLegend, legend(series.map(s => ({ name: s.name, cls: `g-${s.cls}` }))));
    el.curveNote.textContent = `proficiency after each of ${attempts} attempt${attempts === 1 ? '' : 's'} that taught it something (from the task outcome events on the feed)`;
  }

  function renderHistory() {
    const items = history.map(e => ({ t: ms(e.payload.at) || ms(e.timestamp), kind: 'agent', e }));
    for (const a of model.attempts.get(id) || []) items.push({ t: a.t, kind: 'attempt', a });
    items.sort((x, y) => y.t - x.t);
    if (!items.length) {
      replace(el.history, h('li', { class: 'muted' }, 'No history yet.'));
      return;
    }
    replace(el.history, items.slice(0, 200).map(it => {
      if (it.kind === 'agent') {
        const p = it.e.payload;
        const what = it.e.type === 'AgentStateChanged' ? `${p.from} → ${p.to}${p.reason ? ` (${p.reason})` : ''}`
          : it.e.type === 'AgentRegistered' ? `registered as ${p.spec.type} with ${p.spec.capabilities.map(c => `${c.name} ${c.proficiency}`).join(', ') || 'no capabilities'}`
            : it.e.type === 'CapabilityProficiencyChanged' ? `${p.capability} ${fmtNum(p.from, 3)} → ${fmtNum(p.to, 3)}`
              : it.e.type === 'AgentCrashed' ? p.reason : '';
        return h('li', { class: it.e.type === 'AgentCrashed' ? 's-failed' : 's-idle', dataset: { testid: 'agent-history-item', type: it.e.type } },
          h('div', null, h('span', { class: 'what' }, it.e.type), ' ', h('span', { class: 't' }, fmtTime(it.t))),
          h('div', { class: 'muted small' }, what, p.by ? ` · by ${who(p.by)}` : ''));
      }
      const a = it.a;
      const cls = a.type === 'TaskStarted' ? 's-running' : a.type === 'TaskAwaitingSubtasks' ? 's-idle' : a.ok ? 's-completed' : 's-failed';
      return h('li', { class: cls, dataset: { testid: 'agent-history-item', type: a.type } },
        h('div', null, h('span', { class: 'what' }, a.type), ' ', h('span', { class: 't' }, fmtTime(a.t))),
        h('div', { class: 'muted small' }, 'attempt ', a.attempt || '?', ' of ', h('a', { href: `#/tasks/${a.task}` }, (model.tasks.get(a.task) || {}).title || shortId(a.task)), a.error ? ` · ${a.error}` : ''));
    }));
  }

  const refresh = throttle(async () => {
    try {
      const enc = encodeURIComponent(id);
      const [a, hist] = await Promise.all([api.get(`/api/agents/${enc}`), api.get(`/api/agents/${enc}/history`)]);
      agent = a;
      history = hist.events || [];
      el.error.hidden = true;
      render();
    } catch (e) {
      el.error.textContent = e.status === 404 ? `No agent ${id}.` : explainError(e);
      el.error.hidden = false;
    }
  }, 500);
  const redraw = throttle(() => { if (agent) { renderLearning(); renderHistory(); } }, 500);
  refresh();

  return {
    onEvents(batch) {
      if (batch.some(e => agentOf(e) === id)) {
        refresh();
        redraw();
      }
    },
    unmount() { refresh.cancel(); redraw.cancel(); },
  };
}
