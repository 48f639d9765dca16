// One approval's decision controls: a comment, Approve and Reject. Deciding posts
// /api/tasks/{id}/decision; the answer is said in words beside the buttons (a 403 or 409 too).
import { api } from './api.js';
import { h } from './util.js';

/** What the hub's refusal means for the person who pressed the button. */
function refusal(e) {
  if (e.status === 403) return `You may not decide this approval: ${e.message}`;
  if (e.status === 409) return `Already decided: ${e.message}`;
  if (e.status === 404) return 'This approval no longer exists.';
  return e.status === 0 ? 'The hub cannot be reached: try again.' : `Not decided: ${e.message}`;
}

/**
 * The controls for approval task `task`; onDecided(decision, updatedTask) after the hub took it,
 * onGone(message) when it answered that the approval is not open to this user any more.
 */
export function decisionForm(task, { onDecided, onGone } = {}) {
  const comment = h('textarea', { class: 'inline-input decision-comment', rows: 2, maxlength: 2000,
    placeholder: 'comment (optional)', 'aria-label': 'comment', dataset: { testid: 'decision-comment' } });
  const outcome = h('p', { class: 'decision-outcome', role: 'status', hidden: true, dataset: { testid: 'decision-outcome' } });
  const approve = h('button', { class: 'btn primary', type: 'button', dataset: { testid: 'decision-approve' } }, 'Approve');
  const reject = h('button', { class: 'btn danger', type: 'button', dataset: { testid: 'decision-reject' } }, 'Reject');

  function say(text, bad) {
    outcome.textContent = text;
    outcome.classList.toggle('form-error', !!bad);
    outcome.hidden = false;
  }

  async function decide(decision) {
    approve.disabled = true;
    reject.disabled = true;
    const body = { decision };
    if (comment.value.trim()) body.comment = comment.value.trim();
    try {
      const updated = await api.post(`/api/tasks/${encodeURIComponent(task.id)}/decision`, body);
      say(decision === 'approve' ? 'Approved.' : 'Rejected.', false);
      if (onDecided) onDecided(decision, updated);
    } catch (e) {
      say(refusal(e), true);
      // refused for good: the buttons stay off; anything else may be tried again
      const final = e.status === 403 || e.status === 409 || e.status === 404;
      approve.disabled = final;
      reject.disabled = final;
      if (final && onGone) onGone(refusal(e));
    }
  }

  approve.addEventListener('click', () => decide('approve'));
  reject.addEventListener('click', () => decide('reject'));
  return h('div', { class: 'decision', dataset: { testid: 'decision', taskId: task.id } },
    comment, h('div', { class: 'form-actions' }, approve, reject), outcome);
}
