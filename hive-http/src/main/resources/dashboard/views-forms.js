// Forms: submit a task (operator) and register an agent (admin). The hub checks every field; its
// 400 answer names them (title, required_capabilities[0].name, skill.config.model, ...) and each
// message is shown next to its field (or, for a field the form has no place for, above the form).
import { api } from './api.js';
import { h, replace, toast, explainError, parseLocalInput, TIME_FORMAT } from './util.js';

/** A labelled input whose errors for `name` (and names under it) show beneath it. */
function field(name, label, input, hint) {
  input.id = input.id || `f-${name.replace(/[^a-z0-9]+/gi, '-')}`;
  input.dataset.testid = input.dataset.testid || `field-${name}`;
  return h('label', { class: 'field', for: input.id, dataset: { field: name } }, label, input,
    hint ? h('span', { class: 'muted small' }, hint) : null,
    h('p', { class: 'field-error', hidden: true, dataset: { errorFor: name, testid: `error-${name}` } }));
}

function clearErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) { el.hidden = true; el.textContent = ''; }
  for (const el of form.querySelectorAll('.invalid')) el.classList.remove('invalid');
  const top = form.querySelector('.form-error');
  top.hidden = true;
  replace(top);
}

/** Each field error next to its field: the nearest enclosing name the form knows. */
export function showErrors(form, e) {
  clearErrors(form);
  const top = form.querySelector('.form-error');
  const unplaced = [];
  for (const fe of e.fieldErrors || []) {
    let name = fe.field || '';
    let box = null;
    let err = null;
    while (name) {
      box = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
      err = box && box.querySelector(`.field-error[data-error-for="${CSS.escape(name)}"]`);
      if (err) break;
      const shorter = name.replace(/(\.[^.[\]]*|\[\d+\])$/, '');
      name = shorter === name ? '' : shorter;
    }
    if (!err) {
      unplaced.push(`${fe.field}: ${fe.message}`);
      continue;
    }
    box.classList.add('invalid');
    err.textContent = err.textContent ? `${err.textContent}; ${fe.message}` : (name === fe.field ? fe.message : `${fe.field.slice(name.length).replace(/^\./, '')} ${fe.message}`);
    err.hidden = false;
  }
  const placed = (e.fieldErrors || []).length - unplaced.length;
  const refused = e.local ? 'Check the marked fields.' : placed ? 'The hub refused this: see the marked fields.' : 'The hub refused this.';
  replace(top, placed || unplaced.length ? refused : explainError(e),
    unplaced.length ? h('ul', null, unplaced.map(u => h('li', null, u))) : null);
  top.hidden = false;
  const first = form.querySelector('.invalid input, .invalid select, .invalid textarea');
  if (first) first.focus();
}

/** A field the form itself refuses, shown as the hub's refusals are (nothing is sent). */
function local(field, message) {
  return { local: true, fieldErrors: [{ field, message }] };
}

/** A number as typed: omitted when empty, sent as typed when it is not a number (the hub says why). */
function num(input) {
  const v = input.value.trim();
  if (!v) return undefined;
  const n = Number(v);
  return Number.isNaN(n) ? v : n;
}

/** Editable rows (capabilities), each field named `${prefix}[i].${key}` for the hub's errors. */
function rowsEditor(prefix, columns, addLabel, initial) {
  const box = h('div', { class: 'rows', dataset: { field: prefix, testid: `${prefix}-rows` } });
  const err = h('p', { class: 'field-error', hidden: true, dataset: { errorFor: prefix } });
  const list = h('div', { class: 'rows' });
  function renumber() {
    [...list.children].forEach((row, i) => {
      row.dataset.field = `${prefix}[${i}]`;
      for (const c of columns) {
        const f = row.querySelector(`[data-key="${c.key}"]`);
        const name = `${prefix}[${i}].${c.key}`;
        f.dataset.field = name;
        f.querySelector('.field-error').dataset.errorFor = name;
        f.querySelector('.field-error').dataset.testid = `error-${name}`;
        const input = f.querySelector('input');
        input.id = `f-${prefix}-${i}-${c.key}`;
        input.dataset.testid = `field-${name}`;
        f.setAttribute('for', input.id);
      }
    });
  }
  function add(values = {}) {
    const row = h('div', { class: `row-edit ${columns.length === 2 ? 'two' : ''}` },
      columns.map(c => {
        const f = field(`${prefix}[x].${c.key}`, c.label, h('input', { value: values[c.key] ?? '', placeholder: c.placeholder || '', inputmode: c.numeric ? 'decimal' : undefined }));
        f.dataset.key = c.key;
        return f;
      }),
      h('button', { class: 'btn small', type: 'button', title: 'remove', onclick: () => { row.remove(); renumber(); } }, 'Remove'));
    list.append(row);
    renumber();
  }
  const addButton = h('button', { class: 'btn small', type: 'button', dataset: { testid: `${prefix}-add` }, onclick: () => add() }, addLabel);
  box.append(list, h('div', null, addButton), err);
  (initial || []).forEach(add);
  return {
    el: box,
    values: () => [...list.children].map(row => {
      const o = {};
      for (const c of columns) {
        const input = row.querySelector(`[data-key="${c.key}"] input`);
        const v = c.numeric ? num(input) : input.value.trim();
        if (v !== undefined && v !== '') o[c.key] = v;
      }
      return o;
    }).filter(o => Object.keys(o).length),
  };
}

function submitting(form, button, run) {
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    clearErrors(form);
    button.disabled = true;
    try {
      await run();
    } catch (e) {
      showErrors(form, e);
    } finally {
      button.disabled = false;
    }
  });
}

function select(options, value) {
  return h('select', null, options.map(o => h('option', { value: o, selected: o === value }, o)));
}

export function newTaskView(main, { navigate }) {
  const i = {
    title: h('input', { placeholder: 'what needs doing' }),
    description: h('textarea', { rows: 3 }),
    type: h('input', { placeholder: 'general' }),
    priority: select(['low', 'medium', 'high', 'critical'], 'medium'),
    max_attempts: h('input', { inputmode: 'numeric', placeholder: '3' }),
    timeout_ms: h('input', { inputmode: 'numeric', placeholder: '300000' }),
    deadline: h('input', { type: 'text', class: 'time-input', placeholder: TIME_FORMAT, autocomplete: 'off', spellcheck: 'false' }),
    input: h('textarea', { rows: 3, placeholder: '{"text": "…"} or plain text' }),
    idempotency: h('input', { placeholder: 'optional: same key, same task' }),
  };
  const caps = rowsEditor('required_capabilities', [
    { key: 'name', label: 'capability', placeholder: 'e.g. code' },
    { key: 'minimum_proficiency', label: 'minimum proficiency', placeholder: '0.5', numeric: true },
  ], 'Add a required capability', [{}]);
  const button = h('button', { class: 'btn primary', type: 'submit', id: 'task-submit', dataset: { testid: 'task-submit' } }, 'Submit task');
  const form = h('form', { id: 'task-form', class: 'card', novalidate: true, dataset: { testid: 'task-form' } },
    h('p', { class: 'form-error', hidden: true, role: 'alert', dataset: { testid: 'form-error' } }),
    field('title', 'Title', i.title),
    field('description', 'Description', i.description, 'without a title, its first 60 characters become the title'),
    h('div', { class: 'form-grid' }, field('priority', 'Priority', i.priority), field('type', 'Type', i.type),
      field('max_attempts', 'Max attempts', i.max_attempts), field('timeout_ms', 'Timeout (ms)', i.timeout_ms)),
    h('h3', null, 'Required capabilities'), caps.el,
    h('div', { class: 'form-grid' }, field('deadline', 'Deadline (optional)', i.deadline, `${TIME_FORMAT}, 24-hour, your local time`), field('idempotency_key', 'Idempotency key', i.idempotency)),
    field('input', 'Input (JSON, or text sent as a string)', i.input),
    h('div', { class: 'form-actions' }, button));
  submitting(form, button, async () => {
    const body = { priority: i.priority.value, required_capabilities: caps.values() };
    for (const k of ['title', 'description', 'type']) if (i[k].value.trim()) body[k] = i[k].value.trim();
    for (const k of ['max_attempts', 'timeout_ms']) { const v = num(i[k]); if (v !== undefined) body[k] = v; }
    const deadline = i.deadline.value.trim();
    if (deadline) {
      const t = parseLocalInput(deadline);
      if (t === null) throw local('deadline', `must be ${TIME_FORMAT}, 24-hour, in your local time (e.g. 2030-12-31 17:00:00)`);
      body.deadline = new Date(t).toISOString();
    }
    const raw = i.input.value.trim();
    if (raw) { try { body.input = JSON.parse(raw); } catch (e) { body.input = raw; } }
    const key = i.idempotency.value.trim();
    const task = await api.post('/api/tasks', body, key ? { 'Idempotency-Key': key } : undefined);
    toast(`Task “${task.title}” submitted.`);
    navigate(`#/tasks/${task.id}`);
  });
  replace(main, h('div', { class: 'view-head' }, h('h1', null, 'Submit a task')), form);
  i.title.focus();
  return {};
}

export function newAgentView(main, { navigate }) {
  const i = {
    name: h('input', { placeholder: 'e.g. coder-1' }),
    type: h('input', { list: 'agent-types', value: 'worker' }),
    skill: select(['simulated', 'noop', 'text-analysis', 'llm', 'http'], 'simulated'),
    config: h('textarea', { rows: 4, placeholder: 'llm: {"base_url": "http://localhost:11434/v1", "model": "llama3.2"}' }),
    max_concurrency: h('input', { inputmode: 'numeric', placeholder: '1' }),
  };
  const types = h('datalist', { id: 'agent-types' }, ['worker', 'coordinator', 'learner', 'specialist:data'].map(t => h('option', { value: t })));
  const caps = rowsEditor('capabilities', [
    { key: 'name', label: 'capability', placeholder: 'e.g. code' },
    { key: 'proficiency', label: 'proficiency', placeholder: '0.8', numeric: true },
    { key: 'learning_rate', label: 'learning rate', placeholder: '0.1', numeric: true },
  ], 'Add a capability', [{}]);
  const button = h('button', { class: 'btn primary', type: 'submit', id: 'agent-submit', dataset: { testid: 'agent-submit' } }, 'Register agent');
  const configField = field('skill.config', 'Skill config (JSON, optional)', i.config);
  const form = h('form', { id: 'agent-form', class: 'card', novalidate: true, dataset: { testid: 'agent-form' } },
    h('p', { class: 'form-error', hidden: true, role: 'alert', dataset: { testid: 'form-error' } }),
    h('div', { class: 'form-grid' }, field('name', 'Name', i.name), field('type', 'Type', i.type, 'worker, coordinator, learner or specialist:<name>'), types),
    h('h3', null, 'Capabilities'), caps.el,
    h('div', { class: 'form-grid' }, field('skill', 'Skill', i.skill), field('max_concurrency', 'Max concurrency', i.max_concurrency)),
    configField,
    h('div', { class: 'form-actions' }, button));
  submitting(form, button, async () => {
    const body = { name: i.name.value.trim(), type: i.type.value.trim(), capabilities: caps.values() };
    const mc = num(i.max_concurrency);
    if (mc !== undefined) body.max_concurrency = mc;
    const raw = i.config.value.trim();
    if (raw) {
      let config;
      try {
        config = JSON.parse(raw);
      } catch (e) {
        throw local('skill.config', `is not JSON: ${e.message}`);
      }
      body.skill = { name: i.skill.value, config };
    } else {
      body.skill = i.skill.value;
    }
    const agent = await api.post('/api/agents', body);
    toast(`Agent “${agent.name}” registered.`);
    navigate(`#/agents/${agent.id}`);
  });
  replace(main, h('div', { class: 'view-head' }, h('h1', null, 'Register an agent')), form);
  i.name.focus();
  return {};
}
