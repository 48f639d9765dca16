// A workflow's steps as a graph: one column per depth (a step sits one column right of the deepest
// step it waits for), an arrow from each step to every step that waits for it, the critical path
// outlined with its arrows in bold, and a legend saying so. The columns are HTML (they wrap text and
// link to each step's task); the arrows are SVG drawn over them once the browser has laid them
// out, and drawn again whenever the graph's size changes.
import { h, chip } from './util.js';
import { svg } from './charts.js';
import { TASK_STATUSES, statusLabel } from './statuses.js';

/** The statuses a step can show, in the order the legend lists them. */
export const STEP_STATUSES = ['submitting', ...TASK_STATUSES];

/** Each step's depth: 0 for a step that waits for no other step, else one more than its deepest. */
function depths(steps) {
  const byName = new Map(steps.map(s => [s.name, s]));
  const depth = new Map();
  const of = (s, seen) => {
    if (depth.has(s.name)) return depth.get(s.name);
    if (seen.has(s.name)) return 0; // the hub refuses cycles; never loop on a bad answer
    seen.add(s.name);
    const inside = (s.depends_on || []).map(d => byName.get(d)).filter(Boolean);
    const d = inside.length ? 1 + Math.max(...inside.map(x => of(x, seen))) : 0;
    depth.set(s.name, d);
    return d;
  };
  steps.forEach(s => of(s, new Set()));
  return depth;
}

// arrows are drawn a frame after a size change: drawing inside the observer's callback could
// change what it observes (a scroll bar), which browsers report as a ResizeObserver loop error
const observer = new ResizeObserver(entries => {
  for (const { target } of entries) {
    if (!target.isConnected) {
      observer.unobserve(target); // replaced by a newer drawing of the graph
      continue;
    }
    if (!target.edgeFrame) {
      target.edgeFrame = requestAnimationFrame(() => {
        target.edgeFrame = null;
        if (target.isConnected) drawEdges(target);
      });
    }
  }
});

let markers = 0;

/** The arrows of `dag` (a graph from workflowGraph), for the nodes where they are laid out now. */
function drawEdges(dag) {
  const base = dag.getBoundingClientRect();
  const box = new Map();
  for (const n of dag.querySelectorAll('.dag-node')) {
    const r = n.getBoundingClientRect();
    const left = r.left - base.left + dag.scrollLeft;
    const top = r.top - base.top + dag.scrollTop;
    box.set(n.dataset.step, { left, right: left + r.width, mid: top + r.height / 2 });
  }
  const id = `wf-arrow-${++markers}`;
  const arrow = (suffix, cls) => svg('marker', { id: id + suffix, viewBox: '0 0 10 10', refX: 9, refY: 5, markerUnits: 'userSpaceOnUse', markerWidth: 9, markerHeight: 9, orient: 'auto' },
    svg('path', { d: 'M0,0 L10,5 L0,10 z', class: cls }));
  const out = svg('svg', { class: 'dag-edges', width: dag.scrollWidth, height: dag.scrollHeight, 'aria-hidden': 'true' },
    svg('defs', {}, arrow('', 'dag-arrow'), arrow('-c', 'dag-arrow critical')));
  for (const e of dag.edges) {
    const a = box.get(e.from);
    const b = box.get(e.to);
    if (!a || !b) continue;
    const dx = Math.max(16, (b.left - a.right) / 2);
    out.append(svg('path', {
      d: `M${a.right},${a.mid} C${a.right + dx},${a.mid} ${b.left - dx},${b.mid} ${b.left - 1},${b.mid}`,
      class: `dag-edge${e.critical ? ' critical' : ''}`,
      'marker-end': `url(#${id}${e.critical ? '-c' : ''})`,
      'data-testid': 'wf-edge', 'data-from': e.from, 'data-to': e.to,
    }, svg('title', {}, `${e.to} waits for ${e.from}`)));
  }
  const old = dag.querySelector(':scope > .dag-edges');
  if (old) old.replaceWith(out);
  else dag.prepend(out);
}

/** The graph of workflow `w`; `path`: the critical path's step names, in order. */
export function workflowGraph(w, path) {
  const critical = new Set(path);
  const onPath = new Set(path.slice(1).map((name, i) => `${path[i]}\u2192${name}`));
  const names = new Set(w.tasks.map(s => s.name));
  const depth = depths(w.tasks);
  const columns = [];
  for (const s of w.tasks) (columns[depth.get(s.name)] = columns[depth.get(s.name)] || []).push(s);
  const dag = h('div', { class: 'dag', dataset: { testid: 'wf-graph' } }, columns.map((col, i) =>
    h('div', { class: 'dag-col', dataset: { depth: i } }, col.map(s =>
      h('a', { class: `dag-node${critical.has(s.name) ? ' critical' : ''}`, href: `#/tasks/${s.task_id}`, dataset: { testid: 'wf-node', step: s.name, status: s.status } },
        h('span', { class: 'dag-name' }, s.name), chip(s.status),
        (s.depends_on || []).length ? h('span', { class: 'muted small' }, `after ${s.depends_on.join(', ')}`) : null)))));
  dag.edges = w.tasks.flatMap(s => (s.depends_on || []).filter(d => names.has(d))
    .map(d => ({ from: d, to: s.name, critical: onPath.has(`${d}\u2192${s.name}`) })));
  observer.observe(dag);
  return h('div', null, dag, graphLegend());
}

function graphLegend() {
  return h('div', { class: 'legend dag-legend', dataset: { testid: 'wf-legend' } },
    h('span', { class: 'lg-critical' }, h('i'), 'critical path: the chain of dependent steps that ran longest (outlined, bold arrows)'),
    h('span', { class: 'lg-edge' }, h('i'), 'arrow: from a step to one that waits for it'),
    STEP_STATUSES.map(s => h('span', { class: `s-${s.replace(/[^a-z]/g, '')}` }, h('i'), statusLabel(s))));
}
