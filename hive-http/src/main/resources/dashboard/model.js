// What the dashboard learns from the event feed itself: each task's timing (submitted, started,
// finished; wait = first start − submitted, run = finished − last start), finishes per second, each
// agent's attempts and learning (the proficiency changes that task outcome events carry), and the
// newest events for the stream view. Bounded, so a long-running page stays small.
import { ms } from './util.js';

const MAX_TASKS = 5000;
const MAX_EVENTS = 500;
const MAX_PER_AGENT = 500;

export const model = {
  tasks: new Map(), // id -> {id, title, priority, status, submitted, started, finished, agent, ok}
  finished: [], // {t, ok, id} in order of finishing
  events: [], // newest first, at most MAX_EVENTS
  learning: new Map(), // agent id -> [{t, capability, from, to, task}]
  attempts: new Map(), // agent id -> [{t, type, task, attempt, ok}]
  names: new Map(), // agent id -> name
  firstAt: null,
  lastAt: null,
  total: 0,

  apply(batch) {
    for (const e of batch) applyOne(e);
    if (this.events.length > MAX_EVENTS) this.events.length = MAX_EVENTS;
    if (this.finished.length > MAX_TASKS) this.finished.splice(0, this.finished.length - MAX_TASKS);
  },

  /** Finished tasks with both times known, oldest first: {t, wait, run, id}. */
  timings(limit = 200) {
    const out = [];
    for (let i = this.finished.length - 1; i >= 0 && out.length < limit; i--) {
      const f = this.finished[i];
      const task = this.tasks.get(f.id);
      if (!task || task.started === null || task.submitted === null) continue;
      out.push({ t: f.t, id: f.id, wait: task.started - task.submitted, run: f.t - task.lastStart, ok: f.ok });
    }
    return out.reverse();
  },

  /** Finishes per second in buckets of `step` ms over the last `span` ms: [{t, rate}]. */
  rate(span = 300000, step = 10000, now = Date.now()) {
    const start = Math.floor((now - span) / step) * step;
    const n = Math.ceil((now - start) / step);
    const counts = new Array(n).fill(0);
    for (let i = this.finished.length - 1; i >= 0; i--) {
      const t = this.finished[i].t;
      if (t < start) break;
      const b = Math.floor((t - start) / step);
      if (b >= 0 && b < n) counts[b]++;
    }
    return counts.map((c, i) => ({ t: start + i * step + step / 2, rate: c / (step / 1000) }));
  },
};

function task(id) {
  let t = model.tasks.get(id);
  if (!t) {
    t = { id, title: null, priority: null, status: 'pending', submitted: null, started: null, lastStart: null, finished: null, agent: null };
    model.tasks.set(id, t);
    if (model.tasks.size > MAX_TASKS) model.tasks.delete(model.tasks.keys().next().value);
  }
  return t;
}

function push(map, key, value) {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  list.push(value);
  if (list.length > MAX_PER_AGENT) list.shift();
}

function applyOne(e) {
  model.total++;
  model.events.unshift(e);
  const at = ms(e.payload && e.payload.at) || ms(e.timestamp);
  if (model.firstAt === null || at < model.firstAt) model.firstAt = at;
  model.lastAt = at;
  const p = e.payload || {};
  if (e.entity_kind === 'agent' && e.type === 'AgentRegistered' && p.spec) {
    model.names.set(e.entity_id, p.spec.name);
  }
  if (e.entity_kind === 'agent' && e.type === 'CapabilityProficiencyChanged') {
    push(model.learning, e.entity_id, { t: at, capability: p.capability, from: p.from, to: p.to, task: p.task_id });
  }
  if (e.entity_kind !== 'task') return;
  const t = task(e.entity_id);
  switch (e.type) {
    case 'TaskSubmitted':
      t.submitted = at;
      if (p.spec) {
        t.title = p.spec.title;
        t.priority = String(p.spec.priority || '').toLowerCase();
      }
      t.status = 'pending';
      break;
    case 'TaskAssigned':
      t.status = 'assigned';
      t.agent = p.agent_id;
      break;
    case 'TaskStarted':
      if (t.started === null) t.started = at;
      t.lastStart = at;
      t.finished = null;
      t.status = 'running';
      t.agent = p.agent_id || t.agent;
      if (p.agent_id) push(model.attempts, p.agent_id, { t: at, type: e.type, task: e.entity_id, attempt: p.attempt });
      break;
    case 'TaskCompleted':
    case 'TaskFailed':
    case 'TaskTimedOut': {
      const ok = e.type === 'TaskCompleted';
      const retry = !ok && p.will_retry;
      t.status = ok ? 'completed' : retry ? 'pending' : 'failed';
      if (!retry) {
        t.finished = at;
        model.finished.push({ t: at, ok, id: e.entity_id });
      }
      const agent = p.agent && p.agent.agent_id;
      if (agent) {
        push(model.attempts, agent, { t: at, type: e.type, task: e.entity_id, attempt: p.attempt, ok, error: p.error });
        for (const l of p.agent.learning || []) {
          push(model.learning, agent, { t: at, capability: l.capability, from: l.from, to: l.to, task: e.entity_id });
        }
      }
      break;
    }
    case 'TaskAwaitingSubtasks': {
      // the attempt handed its work to subtasks: blocked without its agent, neither ok nor failed
      t.status = 'blocked';
      const agent = p.agent && p.agent.agent_id;
      if (agent) push(model.attempts, agent, { t: at, type: e.type, task: e.entity_id, attempt: p.attempt, ok: null });
      break;
    }
    case 'TaskUnblocked':
      if (t.status === 'blocked') t.status = 'pending';
      break;
    case 'TaskCancelled':
      t.status = 'cancelled';
      break;
    // people in the loop: a decision, a signal or the clock ends a step no agent runs
    case 'TaskDecided':
      t.status = p.approved ? 'completed' : 'rejected';
      break;
    case 'TaskSignalled':
      t.status = 'completed';
      break;
    case 'TaskExpired':
      t.status = 'expired';
      break;
    case 'TaskRetryRequested':
      t.status = 'pending';
      t.finished = null;
      break;
    default:
      break;
  }
}
