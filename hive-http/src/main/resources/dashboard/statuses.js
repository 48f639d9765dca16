// Every status a task can have, in one place, so each list, chart and legend knows the same ones:
// the hub's own list (TaskStatus), in the order a task usually passes through them.

/** Every task status, in lifecycle order (the overview's and time travel's charts use it). */
export const TASK_STATUSES = ['scheduled', 'blocked', 'pending', 'assigned', 'running', 'waiting_for_approval', 'waiting',
  'completed', 'failed', 'cancelled', 'expired', 'rejected'];

/** Waiting for something other than an agent: a person, a signal or a clock. */
export const GATED = ['scheduled', 'waiting_for_approval', 'waiting'];

/** Ended, and not well: drawn like failed. */
export const UNSUCCESSFUL = ['failed', 'cancelled', 'expired', 'rejected'];

/** A status as people read it: waiting_for_approval is "waiting for approval". */
export function statusLabel(s) {
  return String(s || '').replace(/_/g, ' ');
}
