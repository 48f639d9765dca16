// The dashboard's entry: sign-in, the shell (who is signed in, live state, nav), a hash router
// over the views, and the one event feed every view listens to.
import { login, loginWithKey, logout, onSession, currentSession, can, api } from './api.js';
import { LiveFeed } from './live.js';
import { model } from './model.js';
import { h, replace, explainError } from './util.js';
import { overviewView } from './views-overview.js';
import { agentsView } from './views-agents.js';
import { agentView } from './views-agent.js';
import { taskView } from './views-tasks.js';
import { tasksView } from './views-tasklist.js';
import { workflowsView, workflowView } from './views-workflows.js';
import { schedulesView } from './views-schedules.js';
import { eventsView } from './views-events.js';
import { timeTravelView } from './views-timetravel.js';
import { newTaskView, newAgentView } from './views-forms.js';
import { inboxView } from './views-inbox.js';
import { approvals } from './approvals.js';

// every uncaught error and CSP violation, for whoever looks (the browser tests read it)
window.hiveErrors = window.hiveErrors || [];
window.addEventListener('error', e => window.hiveErrors.push(`error: ${e.message}`));
window.addEventListener('unhandledrejection', e => window.hiveErrors.push(`rejection: ${e.reason && (e.reason.stack || e.reason.message || e.reason)}`));
document.addEventListener('securitypolicyviolation', e => window.hiveErrors.push(`csp: ${e.violatedDirective} ${e.blockedURI}`));

const ROUTES = [
  { re: /^overview$/, view: overviewView, nav: 'overview' },
  { re: /^inbox$/, view: inboxView, nav: 'inbox' },
  { re: /^agents$/, view: agentsView, nav: 'agents' },
  { re: /^agents\/(.+)$/, view: agentView, nav: 'agents' },
  { re: /^tasks$/, view: tasksView, nav: 'tasks' },
  { re: /^tasks\/(.+)$/, view: taskView, nav: 'tasks' },
  { re: /^workflows$/, view: workflowsView, nav: 'workflows' },
  { re: /^workflows\/(.+)$/, view: workflowView, nav: 'workflows' },
  { re: /^schedules$/, view: schedulesView, nav: 'schedules' },
  { re: /^events$/, view: eventsView, nav: 'events' },
  { re: /^time-travel$/, view: timeTravelView, nav: 'time-travel', needs: 'admin' },
  { re: /^new-task$/, view: newTaskView, nav: 'new-task', needs: 'operator' },
  { re: /^new-agent$/, view: newAgentView, nav: 'new-agent', needs: 'admin' },
];

const $ = id => document.getElementById(id);
const feed = new LiveFeed();
let current = null; // {view instance, unsubscribe}
let keyMode = false;

feed.onEvents(batch => model.apply(batch));
feed.onEvents(batch => approvals.touch(batch));
// the Inbox's badge: how many open approvals the signed-in user may decide
approvals.onChange(() => {
  const badge = $('inbox-count');
  badge.textContent = approvals.countText();
  badge.hidden = !approvals.items.length;
});
feed.onState(state => {
  const el = $('live-status');
  el.dataset.state = state;
  el.textContent = { live: 'live', connecting: 'connecting…', reconnecting: 'reconnecting…', off: 'offline' }[state] || state;
});

// ---- sign-in ----

function showLogin(message) {
  feed.stop();
  approvals.stop();
  $('inbox-count').hidden = true;
  unmount();
  $('app').hidden = true;
  $('login-screen').hidden = false;
  const err = $('login-error');
  err.hidden = !message;
  err.textContent = message || '';
  (keyMode ? $('login-key') : $('login-username')).focus();
}

function setKeyMode(on) {
  keyMode = on;
  $('login-password-fields').hidden = on;
  $('login-key-fields').hidden = !on;
  $('login-mode').textContent = on ? 'Sign in with a username instead' : 'Use an API key instead';
  $('login-error').hidden = true;
}

$('login-mode').addEventListener('click', () => setKeyMode(!keyMode));

$('login-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  const err = $('login-error');
  const button = $('login-submit');
  button.disabled = true;
  err.hidden = true;
  try {
    if (keyMode) {
      const key = $('login-key').value.trim();
      if (!key) throw new Error('Enter an API key.');
      await loginWithKey(key);
    } else {
      const username = $('login-username').value.trim();
      const password = $('login-password').value;
      if (!username || !password) throw new Error('Enter your username and password.');
      await login(username, password);
    }
    $('login-password').value = '';
    $('login-key').value = '';
  } catch (e) {
    err.textContent = e.status === 401 ? (keyMode ? 'The hub does not know this API key.' : 'Wrong username or password.')
      : e.status === 429 ? `Too many attempts: ${e.message}` : explainError(e);
    err.hidden = false;
  } finally {
    button.disabled = false;
  }
});

$('logout').addEventListener('click', () => logout());

onSession((s, reason) => {
  if (!s) showLogin(reason === 'signed out' ? '' : reason);
  else if ($('app').hidden) showApp();
  else renderWho();
});

// ---- the shell ----

function renderWho() {
  const s = currentSession();
  const u = (s && s.user) || {};
  $('user-name').textContent = u.username || u.id || '';
  $('user-role').textContent = u.role || '';
  for (const a of document.querySelectorAll('#nav a[data-needs]')) a.hidden = !can(a.dataset.needs);
}

function showApp() {
  if (!$('app').hidden) {
    renderWho();
    return;
  }
  $('login-screen').hidden = true;
  $('app').hidden = false;
  renderWho();
  feed.start();
  approvals.start();
  route();
}

$('nav-toggle').addEventListener('click', () => {
  const open = !$('nav').classList.contains('open');
  $('nav').classList.toggle('open', open);
  $('nav-toggle').setAttribute('aria-expanded', String(open));
});
$('nav').addEventListener('click', ev => {
  if (ev.target.closest('a')) {
    $('nav').classList.remove('open');
    $('nav-toggle').setAttribute('aria-expanded', 'false');
  }
});

function unmount() {
  if (!current) return;
  current.off();
  if (current.view.unmount) current.view.unmount();
  current = null;
}

function route() {
  if (!currentSession()) return;
  // #/tasks?status=pending: a view's own settings after the '?', so a reload shows them again
  const [rawPath, rawQuery = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const path = decodeURIComponent(rawPath) || 'overview';
  const match = ROUTES.map(r => ({ r, m: path.match(r.re) })).find(x => x.m);
  unmount();
  const main = $('view');
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', !!match && a.dataset.route === match.r.nav);
  if (!match) {
    replace(main, h('div', { class: 'empty' }, 'No such page. ', h('a', { href: '#/overview' }, 'Back to the overview')));
    return;
  }
  if (match.r.needs && !can(match.r.needs)) {
    replace(main, h('div', { class: 'empty', dataset: { testid: 'forbidden' } },
      `This page needs the ${match.r.needs} role; you are signed in as ${currentSession().user.role}.`));
    return;
  }
  clearMain(main);
  const ctx = { feed, model, params: match.m.slice(1), query: new URLSearchParams(rawQuery), navigate: to => { location.hash = to; } };
  const view = match.r.view(main, ctx);
  const off = feed.onEvents(batch => view.onEvents && view.onEvents(batch));
  current = { view, off };
  main.dataset.view = match.r.nav;
  main.scrollTop = 0;
  window.scrollTo(0, 0);
}

function clearMain(main) {
  replace(main);
  delete main.dataset.view;
}

window.addEventListener('hashchange', route);

// ---- start ----
const s = currentSession();
if (s) {
  // a stored session: check it is still good (a refreshed token comes back through onSession)
  api.get('/api/auth/me')
    .then(me => {
      if (currentSession()) {
        currentSession().user = { ...currentSession().user, ...me };
        showApp();
      }
    })
    .catch(e => { if (currentSession()) showLogin(explainError(e)); });
} else {
  showLogin('');
}
