// Hand-drawn SVG charts: horizontal bars and line charts with axes. Colours come from CSS classes
// (f-<name> fills, k-<name> strokes) so the page's palette and dark mode apply. Each chart is drawn
// for its container's width and drawn again when that width changes.

const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const c of children) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

// redraws wait for the next frame: drawing inside the observer's callback could resize what it
// observes again (a scroll bar appearing), which browsers report as a ResizeObserver loop error
const observer = new ResizeObserver(entries => {
  for (const entry of entries) {
    const el = entry.target;
    const w = Math.round(entry.contentRect.width);
    if (el.chartDraw && w > 0 && w !== el.chartWidth && !el.chartFrame) {
      el.chartFrame = requestAnimationFrame(() => {
        el.chartFrame = null;
        if (el.isConnected) draw(el);
      });
    }
  }
});

function draw(el) {
  el.chartWidth = Math.round(el.clientWidth) || 320;
  const svg = el.chartDraw(el.chartWidth);
  el.replaceChildren(svg);
}

/** Draws render(width) → <svg> into `el` now and whenever its width changes. */
export function chart(el, render) {
  el.chartDraw = render;
  if (!el.chartObserved) {
    observer.observe(el);
    el.chartObserved = true;
  }
  draw(el);
  return el;
}

function niceStep(range, count) {
  const raw = range / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  const norm = raw / mag;
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
}

function ticks(min, max, count = 4) {
  const step = niceStep(max - min, count);
  const out = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** Horizontal bars: items [{label, value, cls}] with the value at the end of each bar. */
export function hbars(items, { format = v => String(v), labelWidth = 96, max } = {}) {
  return width => {
    const rowH = 24;
    const height = Math.max(1, items.length) * rowH + 4;
    const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img' });
    const top = max || Math.max(1, ...items.map(i => i.value || 0));
    const room = Math.max(10, width - labelWidth - 48);
    items.forEach((it, i) => {
      const y = i * rowH + 4;
      const w = Math.max(it.value > 0 ? 2 : 0, (room * (it.value || 0)) / top);
      svg.append(
        s('text', { x: 0, y: y + 14 }, it.label),
        s('rect', { x: labelWidth, y: y + 4, width: room, height: 12, rx: 3, class: 'track', fill: 'currentColor', opacity: 0.07 }),
        s('rect', { x: labelWidth, y: y + 4, width: w, height: 12, rx: 3, class: `f-${it.cls || 'accent'}` },
          s('title', {}, `${it.label}: ${format(it.value || 0)}`)),
        s('text', { x: labelWidth + w + 6, y: y + 14, class: 'value' }, format(it.value || 0)),
      );
    });
    svg.setAttribute('aria-label', items.map(i => `${i.label} ${format(i.value || 0)}`).join(', '));
    return svg;
  };
}

/**
 * Lines over a numeric x axis (usually time in ms).
 * series: [{name, cls, points: [{x, y}], step, dots, area}]
 * opts: {height, xMin, xMax, yMin, yMax, xFormat, yFormat, empty, integerX}
 */
export function lines(series, opts = {}) {
  return width => {
    const height = opts.height || 180;
    const m = { l: 52, r: 12, t: 10, b: 24 };
    const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img' });
    const all = series.flatMap(se => se.points);
    if (!all.length) {
      svg.append(s('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle' }, opts.empty || 'no data yet'));
      return svg;
    }
    const xMin = opts.xMin ?? Math.min(...all.map(p => p.x));
    let xMax = opts.xMax ?? Math.max(...all.map(p => p.x), ...series.map(se => se.extendTo ?? -Infinity));
    if (xMax <= xMin) xMax = xMin + 1;
    const yMin = opts.yMin ?? 0;
    let yMax = opts.yMax ?? Math.max(...all.map(p => p.y));
    if (!(yMax > yMin)) yMax = yMin + 1;
    const yTicks = ticks(yMin, yMax, 4);
    if (opts.yMax === undefined) yMax = Math.max(yMax, yTicks[yTicks.length - 1]);
    const pw = Math.max(10, width - m.l - m.r);
    const ph = height - m.t - m.b;
    const X = x => m.l + ((x - xMin) / (xMax - xMin)) * pw;
    const Y = y => m.t + ph - ((y - yMin) / (yMax - yMin)) * ph;
    const yf = opts.yFormat || (v => String(v));
    const xf = opts.xFormat || (v => String(Math.round(v)));
    for (const v of yTicks) {
      svg.append(s('line', { x1: m.l, x2: m.l + pw, y1: Y(v), y2: Y(v), class: 'grid-line' }),
        s('text', { x: m.l - 6, y: Y(v) + 4, 'text-anchor': 'end' }, yf(v)));
    }
    const xCount = Math.max(2, Math.floor(pw / 110));
    const xs = opts.integerX ? ticks(xMin, xMax, xCount).filter(v => Number.isInteger(v))
      : Array.from({ length: xCount + 1 }, (_, i) => xMin + ((xMax - xMin) * i) / xCount);
    xs.forEach(v => {
      const anchor = v === xMin ? 'start' : v === xMax ? 'end' : 'middle';
      svg.append(s('text', { x: X(v), y: height - 6, 'text-anchor': anchor }, xf(v)));
    });
    svg.append(s('line', { x1: m.l, x2: m.l + pw, y1: m.t + ph, y2: m.t + ph, class: 'axis' }));
    for (const se of series) {
      const pts = [...se.points].sort((a, b) => a.x - b.x);
      if (!pts.length) continue;
      let d = '';
      pts.forEach((p, i) => {
        const x = X(p.x).toFixed(1);
        const y = Y(p.y).toFixed(1);
        if (i === 0) d = `M${x},${y}`;
        else d += se.step ? `H${x}V${y}` : `L${x},${y}`;
      });
      if (se.extendTo !== undefined) d += `H${X(se.extendTo).toFixed(1)}`;
      if (se.area) {
        const endX = se.extendTo !== undefined ? X(se.extendTo) : X(pts[pts.length - 1].x);
        svg.append(s('path', { d: `${d}V${m.t + ph}H${X(pts[0].x).toFixed(1)}Z`, class: `area f-${se.cls}`, 'data-end': endX }));
      }
      svg.append(s('path', { d, class: `line k-${se.cls}` }, s('title', {}, se.name)));
      if (se.dots) {
        for (const p of pts) {
          svg.append(s('circle', { cx: X(p.x), cy: Y(p.y), r: 2.6, class: `dot f-${se.cls}` },
            s('title', {}, `${se.name}: ${yf(p.y)} at ${xf(p.x)}`)));
        }
      }
    }
    svg.setAttribute('aria-label', series.map(se => `${se.name}: ${se.points.length} points`).join('; '));
    return svg;
  };
}

/** An SVG element, for drawings outside this file: svg('path', {d, class}, ...children). */
export { s as svg };

/** A legend under a chart: [{name, cls}] where cls names a g-<n> or s-<name> colour class. */
export function legend(items) {
  const box = document.createElement('div');
  box.className = 'legend';
  for (const it of items) {
    const span = document.createElement('span');
    span.className = it.cls;
    const i = document.createElement('i');
    span.append(i, document.createTextNode(it.name));
    box.append(span);
  }
  return box;
}

export function timeLabel(t) {
  const d = new Date(t);
  return d.toLocaleTimeString(undefined, { hour12: false, hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
