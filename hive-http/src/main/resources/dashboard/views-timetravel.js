// Time travel: the whole hive as it was at an instant, rebuilt by the hub from its journal
// (/api/hive/state?at=, admin). Pick the instant by typing it (YYYY-MM-DD HH:MM:SS, 24-hour, local
// time) or with the slider over the hive's lifetime (from its first journaled event to now).
import { api } from './api.js';
import { TASK_STATUSES, statusLabel } from './statuses.js';
import { chart, hbars } from './charts.js';
import { h, replace, chip, card, capabilityList, fmtTime, toLocalInput, parseLocalInput, TIME_FORMAT, explainError, ms, agentLabel } from './util.js';

const AGENT_STATES = ['idle', 'working', 'paused', 'disconnected', 'degraded', 'failed', 'retired'];
const STEPS = 1000;

export function timeTravelView(main, { model, navigate }) {
  const at = h('input', { id: 'tt-at', type: 'text', class: 'time-input', placeholder: TIME_FORMAT, autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': 'tt-error', dataset: { testid: 'tt-at' } });
  const go = h('button', { id: 'tt-go', class: 'btn primary', type: 'submit', dataset: { testid: 'tt-go' } }, 'Go');
  const now = h('button', { id: 'tt-now', class: 'btn', type: 'button', dataset: { testid: 'tt-now' } }, 'Now');
  const slider = h('input', { id: 'tt-slider', class: 'tt-slider', type: 'range', min: 0, max: STEPS, value: STEPS, dataset: { testid: 'tt-slider' }, 'aria-label': 'instant in the hive’s lifetime' });
  const range = h('div', { class: 'muted small', dataset: { testid: 'tt-range' } });
  const error = h('p', { id: 'tt-error', class: 'form-error', hidden: true, role: 'alert', dataset: { testid: 'tt-error' } });
  const summary = h('p', { class: 'tt-summary', dataset: { testid: 'tt-summary' } }, 'Pick an instant and press Go.');
  const agentStates = h('div', { class: 'chart', id: 'tt-chart-agents' });
  const taskStatus = h('div', { class: 'chart', id: 'tt-chart-tasks' });
  const agentsBox = h('div', { class: 'table-wrap', id: 'tt-agents', dataset: { testid: 'tt-agents' } });
  const tasksBox = h('div', { class: 'table-wrap', id: 'tt-tasks', dataset: { testid: 'tt-tasks' } });
  let nowCounts = null;
  // the field shows whole seconds; an instant set by Now or the slider is kept to the millisecond
  // while the field still shows it ("Now" cut to the second showed the hive up to a second ago)
  let exact = null;

  function set(t) {
    at.value = toLocalInput(t);
    exact = { text: at.value, t };
  }

  function lifetime() {
    const end = Date.now();
    const start = model.firstAt !== null ? Math.min(model.firstAt, end - 1000) : end - 3600000;
    return { start, end };
  }

  function renderRange() {
    const { start, end } = lifetime();
    range.textContent = `hive lifetime: ${fmtTime(start)} – now (${fmtTime(end)})`;
  }

  function fromSlider() {
    const { start, end } = lifetime();
    return Math.round(start + ((end - start) * Number(slider.value)) / STEPS);
  }

  function toSlider(t) {
    const { start, end } = lifetime();
    slider.value = String(Math.round(((t - start) / Math.max(1, end - start)) * STEPS));
  }

  async function travel() {
    const typed = at.value.trim();
    const t = exact && exact.text === typed ? exact.t : parseLocalInput(typed);
    at.setAttribute('aria-invalid', String(t === null));
    at.closest('.field').classList.toggle('invalid', t === null);
    if (t === null) {
      error.textContent = typed
        ? `“${typed}” is not an instant: type it as ${TIME_FORMAT}, 24-hour, in your local time (e.g. ${toLocalInput(Date.now())}).`
        : `Type an instant as ${TIME_FORMAT}, 24-hour, in your local time.`;
      error.hidden = false;
      return;
    }
    error.hidden = true;
    go.disabled = true;
    toSlider(t);
    renderRange();
    const iso = new Date(t).toISOString();
    try {
      const [state, status] = await Promise.all([api.get(`/api/hive/state?at=${encodeURIComponent(iso)}`), api.get('/api/hive/status').catch(() => null)]);
      const sum = o => Object.values(o || {}).reduce((x, y) => x + y, 0);
      // the status counts a dataset task at work apart from the running attempts
      nowCounts = status ? { agents: sum(status.agents), tasks: sum(status.tasks) + (status.dataset_jobs_running || 0) } : null;
      show(state);
    } catch (e) {
      error.textContent = e.fieldErrors.length ? e.fieldErrors.map(f => `${f.field} ${f.message}`).join('; ') : explainError(e);
      error.hidden = false;
    } finally {
      go.disabled = false;
    }
  }

  function show(state) {
    const agents = state.agents || [];
    const tasks = state.tasks || [];
    const names = new Map(agents.map(a => [a.id, a.name]));
    const count = (list, key, value) => list.filter(x => x[key] === value).length;
    replace(summary,
      h('strong', null, fmtTime(state.at)), ` (${state.at}) · journal offset ${state.offset} · `,
      h('span', { dataset: { testid: 'tt-agent-count' } }, agents.length), ` agent${agents.length === 1 ? '' : 's'} · `,
      h('span', { dataset: { testid: 'tt-task-count' } }, tasks.length), ` task${tasks.length === 1 ? '' : 's'}`);
    summary.dataset.at = state.at;
    if (nowCounts) {
      summary.append(h('span', { class: 'muted' }, ` · now ${nowCounts.agents} agents, ${nowCounts.tasks} tasks`));
    }
    chart(agentStates, hbars(AGENT_STATES.map(s => ({ label: s, value: count(agents, 'state', s), cls: s }))));
    // running means attempts at work on agents, as in the status: a dataset task's job is not one
    const attempts = tasks.filter(t => !(t.status === 'running' && t.dataset));
    chart(taskStatus, hbars(TASK_STATUSES.map(s => ({ label: statusLabel(s), value: count(attempts, 'status', s), cls: s })), { labelWidth: 150 }));
    replace(agentsBox, agents.length ? h('table', null,
      h('thead', null, h('tr', null, ['agent', 'state', 'capabilities', 'done / failed', 'registered'].map(c => h('th', null, c)))),
      h('tbody', null, agents.map(a => h('tr', { class: 'clickable', dataset: { testid: 'tt-agent-row', agentId: a.id, agentName: a.name }, onclick: () => navigate(`#/agents/${a.id}`) },
        h('td', null, a.name), h('td', null, chip(a.state)), h('td', null, capabilityList(a.capabilities)),
        h('td', null, `${(a.stats || {}).tasks_completed || 0} / ${(a.stats || {}).tasks_failed || 0}`), h('td', { class: 'muted' }, fmtTime(a.created_at))))))
      : h('div', { class: 'empty' }, 'No agents yet at that instant.'));
    const shown = [...tasks].sort((a, b) => (ms(b.created_at) || 0) - (ms(a.created_at) || 0)).slice(0, 200);
    replace(tasksBox, shown.length ? h('table', null,
      h('thead', null, h('tr', null, ['task', 'status', 'priority', 'agent', 'attempts', 'submitted'].map(c => h('th', null, c)))),
      h('tbody', null, shown.map(t => h('tr', { class: 'clickable', dataset: { testid: 'tt-task-row', taskId: t.id }, onclick: () => navigate(`#/tasks/${t.id}`) },
        h('td', null, t.title), h('td', null, chip(t.status)), h('td', null, chip(t.priority)),
        h('td', null, agentLabel(t.assigned_agent, names)), h('td', null, `${t.attempts}/${t.max_attempts}`), h('td', { class: 'muted' }, fmtTime(t.created_at))))))
      : h('div', { class: 'empty' }, 'No tasks yet at that instant.'));
    if (tasks.length > shown.length) tasksBox.append(h('p', { class: 'muted small' }, `the newest ${shown.length} of ${tasks.length}`));
  }

  slider.addEventListener('input', () => set(fromSlider()));
  slider.addEventListener('change', () => {
    set(fromSlider());
    travel();
  });
  now.addEventListener('click', () => {
    set(Date.now());
    travel();
  });

  replace(main,
    h('div', { class: 'view-head' }, h('h1', null, 'Time travel'), h('span', { class: 'muted small' }, 'the hive as its journal says it was')),
    h('section', { class: 'card' },
      h('form', { class: 'tt-controls', id: 'tt-form', novalidate: true, onsubmit: ev => { ev.preventDefault(); travel(); } },
        h('label', { class: 'field', for: 'tt-at' }, `instant (${TIME_FORMAT}, 24-hour, your local time)`, at), go, now),
      slider, range, error, summary),
    h('div', { class: 'grid', style: { marginTop: '1rem' } },
      card('Agents', agentsBox, { span: 8 }),
      card('Agents by state', agentStates, { span: 4 }),
      card('Tasks', tasksBox, { span: 8 }),
      card('Tasks by status', taskStatus, { span: 4 })));
  set(Date.now());
  renderRange();
  travel(); // start from the hive as it is now
  const tick = setInterval(renderRange, 5000);
  return { unmount() { clearInterval(tick); } };
}
