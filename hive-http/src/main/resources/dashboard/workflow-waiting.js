// A workflow's steps that wait for people or a signal: an approval says it waits for approval, what
// it asks and who may decide, with the decision controls when the signed-in user is one of them (a
// link to the Inbox otherwise); a wait step says the signal it waits for, or until when. The steps'
// tasks are read by id (the workflow lists only their statuses), once per status they reach; each
// item is kept while its status holds, so a comment being typed survives the view's redraws.
import { api } from './api.js';
import { approvals } from './approvals.js';
import { decisionForm } from './decision.js';
import { h, replace, chip, fmtTime } from './util.js';

const WAITING = ['waiting_for_approval', 'waiting'];

export class WaitingSteps {
  constructor(workflowId, onDecided) {
    this.workflowId = workflowId;
    this.onDecided = onDecided;
    this.el = h('div', { dataset: { testid: 'wf-waiting' } });
    this.tasks = new Map(); // task id -> the task as read, for the status it was read in
    this.items = new Map(); // task id -> {key, el}
    this.steps = [];
  }

  /** The workflow's steps changed: read the tasks of those now waiting, then redraw. */
  update(steps) {
    this.steps = steps.filter(s => WAITING.includes(s.status));
    const unread = this.steps.filter(s => (this.tasks.get(s.task_id) || {}).status !== s.status);
    this.render();
    Promise.all(unread.map(s => api.get(`/api/tasks/${encodeURIComponent(s.task_id)}`)
      .then(t => this.tasks.set(t.id, t)).catch(() => {}))).then(() => { if (unread.length) this.render(); });
  }

  render() {
    const keep = new Map();
    for (const s of this.steps) {
      const t = this.tasks.get(s.task_id);
      // decided here: its step reads as waiting until the workflow's tables catch up
      const mayDecide = approvals.decided.has(s.task_id) ? 'decided' : approvals.has(s.task_id);
      const key = `${s.status}|${t ? t.status : ''}|${mayDecide}`;
      const old = this.items.get(s.task_id);
      keep.set(s.task_id, old && old.key === key ? old : { key, el: this.item(s, t, mayDecide) });
    }
    this.items = keep;
    replace(this.el, this.steps.length ? [...keep.values()].map(i => i.el)
      : h('p', { class: 'muted', dataset: { testid: 'wf-waiting-none' } }, 'No step waits for a person or a signal.'));
  }

  item(step, task, mayDecide) {
    const attrs = { class: 'wf-waiting-item', dataset: { testid: 'wf-waiting-step', step: step.name, status: step.status } };
    const head = h('div', { class: 'inbox-head' }, h('a', { href: `#/tasks/${step.task_id}`, class: 'inbox-title' }, step.name), chip(step.status));
    if (!task) return h('div', attrs, head, h('p', { class: 'muted small' }, 'Reading what it waits for…'));
    if (step.status === 'waiting_for_approval') {
      const a = task.approval || {};
      return h('div', attrs, head,
        h('p', { class: 'inbox-prompt', dataset: { testid: 'wf-waiting-prompt' } }, a.prompt || ''),
        h('p', { class: 'muted small' }, `approvers: ${(a.approvers || []).join(', ')}`, a.deadline ? ` · deadline ${fmtTime(a.deadline)}` : ''),
        mayDecide === 'decided' ? h('p', { class: 'decision-outcome', dataset: { testid: 'wf-waiting-decided' } }, 'Decided: the workflow goes on.')
          : mayDecide
          ? decisionForm(task, { onDecided: () => { approvals.drop(task.id); this.onDecided(); } })
          : h('p', { class: 'small' }, h('a', { href: '#/inbox', dataset: { testid: 'wf-waiting-inbox' } }, 'Open the Inbox'),
            ' (only the approvers named may decide)'));
    }
    const w = task.wait || {};
    return h('div', attrs, head, w.signal
      ? h('p', { dataset: { testid: 'wf-waiting-signal' } }, `waits for the signal “${w.signal}”: `,
        h('code', null, `POST /api/workflows/${this.workflowId}/signals/${w.signal}`))
      : h('p', { dataset: { testid: 'wf-waiting-until' } }, `waits until ${fmtTime(w.deadline || w.until)}`));
  }
}
