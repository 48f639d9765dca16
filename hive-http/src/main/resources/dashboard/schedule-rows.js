// One schedule as a table row for the Schedules view (views-schedules.js): what it fires and when,
// its next fire times, its last runs and the buttons an operator may press. Rendering only: the
// view owns the data and the calls; everything shown goes through h() as text.
import { h, chip, fmtTime, fmtDur, shortId, ms } from './util.js';

/** How many of a schedule's latest history lines the row shows. */
export const RUNS_SHOWN = 3;

/** An instant as wall-clock time in the schedule's own zone, for a tooltip ('' if the zone is odd). */
function inZone(iso, zone) {
  const t = ms(iso);
  if (t === null || !zone) return '';
  try {
    return new Intl.DateTimeFormat(undefined, { timeZone: zone, dateStyle: 'medium', timeStyle: 'medium', hour12: false }).format(t);
  } catch (e) {
    return ''; // a zone this browser does not know: the local time is still shown
  }
}

function when(s) {
  const rule = s.cron ? h('span', { class: 'mono', dataset: { testid: 'schedule-cron' } }, s.cron)
    : h('span', { dataset: { testid: 'schedule-every' } }, `every ${s.every}`);
  return [rule, h('div', { class: 'muted small', dataset: { testid: 'schedule-timezone' } }, s.timezone || 'UTC'),
    h('div', { class: 'muted small' }, `overlap ${s.overlap || 'skip'} · catch-up ${s.catch_up || 'none'}`)];
}

/** The next fire time, prominent; all five in its tooltip and in a list that folds out. */
function nextTimes(s, expanded, onToggle) {
  const times = s.next_fire_times || [];
  if (s.paused) return h('span', { class: 'muted', dataset: { testid: 'schedule-next' } }, 'none while paused');
  if (!times.length) return h('span', { class: 'muted', dataset: { testid: 'schedule-next' } }, '–');
  const zone = s.timezone || 'UTC';
  const tip = times.map(t => `${fmtTime(t)}  (${inZone(t, zone) || t} ${zone})`).join('\n');
  const inMs = ms(times[0]) - Date.now();
  return [
    h('strong', { class: 'next-fire', title: tip, dataset: { testid: 'schedule-next', at: times[0] } }, fmtTime(times[0])),
    h('div', { class: 'muted small' }, inMs > 0 ? `in ${fmtDur(inMs)}` : 'due now'),
    times.length > 1 ? h('details', { open: expanded, ontoggle: ev => onToggle(ev.target.open), dataset: { testid: 'schedule-next-all' } },
      h('summary', { class: 'small' }, `next ${times.length}`),
      h('ol', { class: 'fire-times small' }, times.map(t => h('li', { title: `${inZone(t, zone)} ${zone}` }, fmtTime(t))))) : null,
  ];
}

/** The history lines a row shows: the latest, newest first. */
export function shownRuns(history) {
  return [...(history || [])].sort((a, b) => (ms(b.at) || 0) - (ms(a.at) || 0)).slice(0, RUNS_SHOWN);
}

/** The latest history lines: the slot, what happened, the task it made and that task's status. */
function lastRuns(history, statusOf) {
  if (!history) return h('span', { class: 'muted' }, 'Loading…');
  const latest = shownRuns(history);
  if (!latest.length) return h('span', { class: 'muted', dataset: { testid: 'schedule-runs' } }, 'no runs yet');
  return h('ul', { class: 'runs', dataset: { testid: 'schedule-runs' } }, latest.map(r =>
    h('li', { dataset: { testid: 'schedule-run', outcome: r.outcome, taskId: r.task_id || '' } },
      chip(r.outcome),
      ' ', h('span', { class: 'muted', title: `slot ${r.slot}` }, fmtTime(r.slot)),
      r.task_id ? [' ', h('a', { href: `#/tasks/${encodeURIComponent(r.task_id)}`, class: 'mono', dataset: { testid: 'schedule-run-task' } }, shortId(r.task_id)),
        statusOf(r.task_id) ? [' ', chip(statusOf(r.task_id), 'schedule-run-status')] : null] : null,
      r.count > 1 ? h('span', { class: 'muted' }, ` ×${r.count}`) : null)));
}

/**
 * The buttons, for an operator only (a viewer's would be refused). Delete asks once more in place
 * (no modal dialog: it would stop the page's timers and the feed's redraws while open).
 */
function actions(s, ui, act) {
  if (!ui.operator) return h('span', { class: 'muted small', dataset: { testid: 'schedule-read-only' } }, 'read only');
  const busy = ui.busy === s.name;
  const btn = (label, testid, onclick, cls = 'btn small') =>
    h('button', { class: cls, type: 'button', disabled: busy, dataset: { testid }, onclick }, label);
  if (ui.confirming === s.name) {
    return h('div', { class: 'row-actions' },
      h('span', { class: 'small' }, `Delete ${s.name}?`),
      btn('Delete', 'schedule-delete-confirm', () => act('delete', s), 'btn small danger'),
      btn('Keep', 'schedule-delete-cancel', () => act('keep', s)));
  }
  return h('div', { class: 'row-actions' },
    s.paused ? btn('Resume', 'schedule-resume', () => act('resume', s)) : btn('Pause', 'schedule-pause', () => act('pause', s)),
    btn('Trigger now', 'schedule-trigger', () => act('trigger', s)),
    btn('Delete', 'schedule-delete', () => act('confirm', s), 'btn small danger'));
}

/**
 * One row. ui: {operator, busy: name of the schedule with a call in flight, confirming: name asked
 * to delete, expanded: Set of names whose fire times are folded out, statusOf(task id)};
 * act(what, schedule).
 */
export function scheduleRow(s, history, ui, act, onExpand) {
  const state = s.paused ? 'paused' : 'active';
  const title = s.task && typeof s.task.title === 'string' ? s.task.title : '';
  return h('tr', { dataset: { testid: 'schedule-row', name: s.name, state } },
    h('td', null, h('strong', { class: 'nowrap', dataset: { testid: 'schedule-name' } }, s.name),
      title ? h('div', { class: 'muted small' }, title) : null),
    h('td', null, when(s)),
    h('td', null, chip(state, 'schedule-state')),
    h('td', null, nextTimes(s, ui.expanded.has(s.name), open => onExpand(s.name, open))),
    h('td', null, lastRuns(history, ui.statusOf)),
    h('td', null, actions(s, ui, act)));
}

export const COLUMNS = ['schedule', 'when', 'state', 'next fire', 'last runs', ''];
