// The live event stream: every journaled event the feed delivers, newest first, at most 500 rows,
// filterable by kind and text; and a one-line summary of an event, for the other views too.
import { h, replace, chip, fmtTime, fmtNum, fmtDur, shortId, throttle } from './util.js';
import { can } from './api.js';
import { who } from './who.js';

// every kind the feed sends (access only to admins); a kind seen in the feed but not listed here
// is added to the filter when it arrives
const KINDS = ['task', 'agent', 'workflow', 'budgets', 'schedules', 'datasets', 'board', 'coordinator', 'access'];
const MAX_ROWS = 500;

/** One line saying what an event means. */
export function summarize(e, names = new Map()) {
  const p = e.payload || {};
  const agent = id => names.get(id) || shortId(id);
  switch (e.type) {
    case 'TaskSubmitted': return `“${p.spec ? p.spec.title : ''}” submitted (${p.spec ? String(p.spec.priority).toLowerCase() : ''})${p.by ? ` by ${who(p.by)}` : ''}`;
    case 'TaskAssigned': return `assigned to ${agent(p.agent_id)} (attempt ${p.attempt})`;
    case 'TaskStarted': return p.agent_id ? `attempt ${p.attempt} started on ${agent(p.agent_id)}${p.reason ? ` (score ${fmtNum(p.reason.winner_score)} of ${p.reason.qualified} qualified)` : ''}` : `attempt ${p.attempt} started`;
    case 'TaskCompleted': return `completed in ${fmtDur(p.result && p.result.duration_ms)}${p.agent ? ` by ${agent(p.agent.agent_id)}` : ''}${learned(p)}`;
    case 'TaskFailed': return `attempt ${p.attempt} failed: ${p.error || 'unknown error'}${p.will_retry ? ' · will retry' : ''}${learned(p)}`;
    case 'TaskTimedOut': return `attempt ${p.attempt} timed out after ${fmtDur(p.timeout_ms)}${p.will_retry ? ' · will retry' : ''}`;
    case 'TaskAwaitingSubtasks': return `attempt ${p.attempt} handed its work to ${(p.subtasks || []).length} subtask(s) and waits for them${p.agent ? `, freeing ${agent(p.agent.agent_id)}` : ''}`;
    case 'TaskCancelled': return `cancelled${p.reason ? `: ${p.reason}` : ''}${p.by ? ` by ${who(p.by)}` : ''}`;
    case 'TaskRetryRequested': return `retry requested (max attempts ${p.max_attempts})${p.by ? ` by ${who(p.by)}` : ''}`;
    case 'TaskProgressed': return p.progress ? `${p.progress.chunks_done} chunks, ${p.progress.records_done} records done` : 'progress';
    case 'AgentRegistered': return `“${p.spec ? p.spec.name : ''}” registered (${p.spec ? p.spec.type : ''})${p.by ? ` by ${who(p.by)}` : ''}`;
    case 'AgentStateChanged': return `${p.from} → ${p.to}${p.reason ? ` (${p.reason})` : ''}`;
    case 'AgentCrashed': return `crashed: ${p.reason}`;
    case 'CapabilityProficiencyChanged': return `${p.capability} ${fmtNum(p.from, 3)} → ${fmtNum(p.to, 3)}`;
    case 'LoginFailed': return `failed login for ${p.username} from ${p.address}`;
    // the rest in words too: their raw fields (outputs, node lists) were cut off mid-JSON
    case 'TaskUnblocked': return `released: ${(p.dependencies || []).map(d => `${d.name || shortId(d.task_id)} ${String(d.status || '').toLowerCase()}`).join(', ') || 'nothing to wait for'}`;
    case 'TaskDependencyFailed': return `${p.dependency_name || shortId(p.dependency_id)} ${String(p.dependency_status || '').toLowerCase()}: this task fails with it`;
    case 'TaskOutcomeRecorded': return `attempt ${p.attempt} of ${shortId(p.task_id)} ${p.success ? 'succeeded' : 'failed'} in ${fmtDur(p.duration_ms)}`;
    case 'TaskUnreadable': case 'AgentUnreadable': case 'WorkflowUnreadable': return `event ${p.sequence_nr} could not be read (${p.reason}): quarantined`;
    case 'WorkflowSubmitted': return `“${p.name}” submitted with ${(p.nodes || []).length} steps${p.by ? ` by ${who(p.by)}` : ''}`;
    case 'WorkflowCancelled': return `cancelled${p.by ? ` by ${who(p.by)}` : ''}`;
    case 'WorkflowEnded': return `ended ${p.status}`;
    default: return Object.keys(p).filter(k => k !== 'at').slice(0, 4).map(k => `${k}: ${short(p[k])}`).join(', ');
  }
}

function learned(p) {
  const l = p.agent && p.agent.learning;
  return l && l.length ? ` · ${l.map(x => `${x.capability} ${fmtNum(x.from, 3)}→${fmtNum(x.to, 3)}`).join(', ')}` : '';
}

function short(v) {
  if (v === null || v === undefined) return '–';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

export function entityLink(e) {
  if (e.entity_kind === 'task') return h('a', { href: `#/tasks/${e.entity_id}`, class: 'mono' }, shortId(e.entity_id));
  if (e.entity_kind === 'agent') return h('a', { href: `#/agents/${e.entity_id}`, class: 'mono' }, shortId(e.entity_id));
  return h('span', { class: 'mono' }, e.entity_id || '–');
}

function tone(type) {
  if (/Failed|TimedOut|Crashed|Revoked|Removed/.test(type)) return 'failed';
  if (/Completed/.test(type)) return 'completed';
  if (/Started|Assigned/.test(type)) return 'running';
  if (/Cancelled/.test(type)) return 'cancelled';
  return 'pending';
}

export function eventsView(main, { model }) {
  const kinds = new Set(KINDS.filter(k => k !== 'access' || can('admin')));
  const kindOption = k => h('option', { value: k }, k || 'any');
  const kind = h('select', { id: 'events-kind', dataset: { testid: 'events-kind' } }, ['', ...kinds].map(kindOption));
  const learnKinds = events => {
    for (const e of events) {
      if (e.entity_kind && !kinds.has(e.entity_kind)) {
        kinds.add(e.entity_kind);
        kind.append(kindOption(e.entity_kind));
      }
    }
  };
  const text = h('input', { id: 'events-text', placeholder: 'type, id or words', dataset: { testid: 'events-text' } });
  const pause = h('button', { class: 'btn', type: 'button', id: 'events-pause', dataset: { testid: 'events-pause' } }, 'Pause');
  const count = h('span', { class: 'muted small', dataset: { testid: 'events-count' } });
  const tbody = h('tbody', { id: 'events-list', dataset: { testid: 'events-list' } });
  let paused = false;

  function matches(e, names) {
    if (kind.value && e.entity_kind !== kind.value) return false;
    const q = text.value.trim().toLowerCase();
    if (!q) return true;
    return `${e.type} ${e.entity_id} ${summarize(e, names)}`.toLowerCase().includes(q);
  }

  function row(e, names, fresh) {
    return h('tr', { class: fresh ? 'fresh' : '', dataset: { testid: 'event-row', offset: e.offset, type: e.type, entityId: e.entity_id } },
      h('td', { class: 'num muted' }, e.offset),
      h('td', { class: 'muted' }, fmtTime(e.timestamp)),
      h('td', null, e.entity_kind),
      h('td', null, chip(tone(e.type)), ' ', h('span', { class: 'what' }, e.type)),
      h('td', null, entityLink(e)),
      h('td', { class: 'summary' }, summarize(e, names)));
  }

  function render() {
    const names = model.names;
    const rows = [];
    for (const e of model.events) {
      if (rows.length >= MAX_ROWS) break;
      if (matches(e, names)) rows.push(row(e, names, false));
    }
    replace(tbody, rows.length ? rows : h('tr', null, h('td', { colspan: 6, class: 'empty' }, 'No events yet.')));
    count.textContent = `${model.total} events received, ${rows.length} shown (newest first, at most ${MAX_ROWS})`;
  }

  /** New events go on top without redrawing the rest; the table stays at MAX_ROWS rows. */
  function prepend(batch) {
    const names = model.names;
    const fresh = batch.filter(e => matches(e, names)).reverse();
    if (!fresh.length) {
      count.textContent = `${model.total} events received, ${tbody.rows.length} shown (newest first, at most ${MAX_ROWS})`;
      return;
    }
    if (tbody.querySelector('td.empty')) replace(tbody);
    const frag = document.createDocumentFragment();
    for (const e of fresh.slice(0, MAX_ROWS)) frag.append(row(e, names, true));
    tbody.prepend(frag);
    while (tbody.rows.length > MAX_ROWS) tbody.deleteRow(-1);
    count.textContent = `${model.total} events received, ${tbody.rows.length} shown (newest first, at most ${MAX_ROWS})`;
  }

  let pending = [];
  const flush = throttle(() => {
    const batch = pending;
    pending = [];
    if (batch.length > MAX_ROWS) render();
    else prepend(batch);
  }, 250);

  pause.addEventListener('click', () => {
    paused = !paused;
    pause.textContent = paused ? 'Resume' : 'Pause';
    pause.setAttribute('aria-pressed', String(paused));
    if (!paused) render();
  });
  kind.addEventListener('change', render);
  text.addEventListener('input', throttle(render, 300));

  learnKinds(model.events);
  replace(main,
    h('div', { class: 'view-head' }, h('h1', null, 'Event stream'), count),
    h('div', { class: 'toolbar' }, h('label', { class: 'field' }, 'kind', kind), h('label', { class: 'field' }, 'search', text), pause),
    h('section', { class: 'card' }, h('div', { class: 'table-wrap' }, h('table', { class: 'events', id: 'events-table' },
      h('thead', null, h('tr', null, ['offset', 'time', 'kind', 'type', 'entity', 'what'].map(c => h('th', null, c)))), tbody))));
  render();

  return {
    onEvents(batch) {
      learnKinds(batch);
      if (paused) return;
      pending.push(...batch);
      flush();
    },
    unmount() { flush.cancel(); },
  };
}
