// Inbox: the open approvals the signed-in user may decide, oldest first, each with its rendered
// prompt, where it sits (workflow and step), who may decide, its deadline and age, and the decision
// controls. Live from the approval store (approvals.js): a new approval appears, a decided one goes.
// Items are kept by task id and never redrawn, so a comment being typed survives every refresh.
import { approvals } from './approvals.js';
import { decisionForm } from './decision.js';
import { h, replace, chip, card, fmtTime, fmtAgo, fmtDur, shortId, explainError, hubDown, HUB_DOWN } from './util.js';

function approversText(list) {
  // user:alice reads as alice, as elsewhere on the dashboard; roles and keys keep their prefix
  return (list || []).map(a => a.replace(/^user:/, '')).join(', ') || '–';
}

function deadlineText(a) {
  if (!a.deadline) return 'none';
  const then = a.on_timeout ? `, then ${a.on_timeout === 'approve' ? 'approved' : a.on_timeout === 'reject' ? 'rejected' : a.on_timeout}` : '';
  return `${fmtTime(a.deadline)}${then}`;
}

function item(task, onDecided, onGone) {
  const a = task.approval || {};
  const age = h('span', { class: 'muted small', dataset: { testid: 'inbox-age', since: task.created_at || '' } }, fmtAgo(task.created_at));
  const where = task.workflow_id
    ? h('a', { href: `#/workflows/${encodeURIComponent(task.workflow_id)}`, dataset: { testid: 'inbox-workflow' } },
      `step ${task.step || shortId(task.id)} of workflow ${shortId(task.workflow_id)}`)
    : h('span', { class: 'muted' }, 'a task of its own');
  return h('li', { class: 'inbox-item', dataset: { testid: 'inbox-item', taskId: task.id } },
    h('div', { class: 'inbox-head' },
      h('a', { class: 'inbox-title', href: `#/tasks/${encodeURIComponent(task.id)}`, dataset: { testid: 'inbox-title' } }, task.title || task.step || shortId(task.id)),
      chip(task.status), age),
    h('p', { class: 'inbox-prompt', dataset: { testid: 'inbox-prompt' } }, a.prompt || '(no prompt)'),
    h('dl', { class: 'facts' },
      h('dt', null, 'where'), h('dd', null, where),
      h('dt', null, 'approvers'), h('dd', { dataset: { testid: 'inbox-approvers' } }, approversText(a.approvers)),
      h('dt', null, 'deadline'), h('dd', { dataset: { testid: 'inbox-deadline' } }, deadlineText(a),
        a.timeout_ms ? h('span', { class: 'muted small' }, ` (${fmtDur(a.timeout_ms)} after it opened)`) : null)),
    decisionForm(task, { onDecided: d => onDecided(task, d), onGone: m => onGone(task, m) }));
}

export function inboxView(main) {
  const list = h('ul', { class: 'inbox', dataset: { testid: 'inbox-list' } });
  const empty = h('div', { class: 'empty', hidden: true, dataset: { testid: 'inbox-empty' } },
    'Nothing for you to decide. Approvals that name you (or your role) appear here as they open.');
  const count = h('span', { class: 'muted small', dataset: { testid: 'inbox-total' } });
  const last = h('p', { class: 'decision-outcome', role: 'status', hidden: true, dataset: { testid: 'inbox-last-outcome' } });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true, dataset: { testid: 'inbox-error' } });
  const shown = new Map(); // task id -> its item

  function said(text, bad) {
    last.textContent = text;
    last.classList.toggle('form-error', bad);
    last.hidden = false;
  }

  function onDecided(task, decision) {
    const name = task.title || task.step || shortId(task.id);
    said(`${decision === 'approve' ? 'Approved' : 'Rejected'} “${name}”${task.workflow_id ? ': its workflow goes on.' : '.'}`, false);
    approvals.drop(task.id);
  }

  function onGone(task, message) {
    said(`“${task.title || task.step || shortId(task.id)}”: ${message}`, true);
    approvals.drop(task.id);
  }

  function render() {
    const open = approvals.items;
    const ids = new Set(open.map(t => t.id));
    for (const [id, el] of shown) {
      if (!ids.has(id)) {
        el.remove();
        shown.delete(id);
      }
    }
    for (const t of open) {
      if (!shown.has(t.id)) {
        const el = item(t, onDecided, onGone);
        shown.set(t.id, el);
        list.append(el);
      }
    }
    for (const age of list.querySelectorAll('[data-testid="inbox-age"]')) age.textContent = fmtAgo(age.dataset.since);
    const e = approvals.error;
    error.hidden = !e;
    error.textContent = e ? (hubDown(e) ? HUB_DOWN : explainError(e)) : '';
    empty.hidden = !approvals.loaded || open.length > 0;
    count.textContent = approvals.loaded
      ? `${approvals.countText()} open for you to decide, oldest first${approvals.truncated ? ' (only the oldest 500 read)' : ''}`
      : 'Loading…';
  }

  replace(main, h('div', { class: 'view-head' }, h('h1', null, 'Inbox'), count), error, last,
    card(null, [empty, list], { testid: 'inbox' }));
  const off = approvals.onChange(render);
  render();
  approvals.read(); // fresh on arrival; the store keeps itself current from the feed after that
  const tick = setInterval(render, 10000); // ages
  return { unmount() { off(); clearInterval(tick); } };
}
