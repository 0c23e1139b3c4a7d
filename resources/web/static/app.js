// Pullwatch web UI: the login screen when the server wants a token, then the pulls and
// logs views. Served by the binary from its resources; no inline script (CSP).

import { ApiError, get, onUnauthorized, post } from './api.js';
import { $ } from './dom.js';
import { LogsPage } from './logs.js';
import { PullsPage } from './pulls.js';

let pulls = null;
let logs = null;

function setConnection(state, detail) {
  const badge = $('connection');
  const labels = { open: 'connected', connecting: 'connecting…', reconnecting: 'reconnecting…', closed: 'disconnected' };
  badge.textContent = state === 'open' && detail === 'reconnected' ? 'reconnected' : (labels[state] || state);
  badge.className = `badge ${state === 'open' ? 'badge-ok' : state === 'reconnecting' ? 'badge-warn' : 'badge-idle'}`;
  badge.title = detail || '';
  if (state === 'reconnecting') {
    // The server may have restarted with other settings: check the session once.
    checkSessionQuietly();
  }
}

let checking = false;
async function checkSessionQuietly() {
  if (checking) return;
  checking = true;
  try {
    const session = await get('/api/session');
    if (session && session.required && !session.authenticated) showLogin('Your session has ended; log in again.');
  } catch {
    // unreachable: the sockets keep retrying
  } finally {
    checking = false;
  }
}

function showView(name) {
  for (const view of ['pulls', 'logs']) {
    $(`view-${view}`).hidden = view !== name;
    $(`tab-${view}`).setAttribute('aria-selected', String(view === name));
  }
  if (name === 'logs') logs.show();
  if (location.hash !== `#${name}`) history.replaceState(null, '', `#${name}`);
}

function showLogin(message = '') {
  if (pulls) pulls.stop();
  if (logs) logs.stop();
  $('app').hidden = true;
  $('login-view').hidden = false;
  $('login-error').textContent = message;
  $('login-token').focus();
}

function startApp(session) {
  $('login-view').hidden = true;
  $('app').hidden = false;
  // A JWT comes from the platform's own sign-in; only a login session can be ended here.
  $('logout').hidden = !session.required || Boolean(session.user);
  $('role').hidden = session.role !== 'viewer';
  $('role').textContent = session.user ? `${session.user}: read only` : 'read only';
  if (!pulls) {
    pulls = new PullsPage({
      onConnection: setConnection,
      onOpenLogs: (ns, kind, name, container) => {
        showView('logs');
        logs.open(ns, kind, name, container);
      },
    });
    logs = new LogsPage();
    // Read-only numbers for the browser tests and for anyone curious (devtools console).
    window.pullwatchStats = () => ({
      lines: logs.store.lineCount,
      stored: logs.store.entries.length,
      rows: document.querySelectorAll('#log-view .line').length,
      duplicatesDropped: logs.store.duplicatesDropped,
      nextSeq: logs.store.nextSeq,
    });
  }
  pulls.setCanOperate(session.role !== 'viewer');
  pulls.start();
  showView(location.hash === '#logs' ? 'logs' : 'pulls');
}

async function login(event) {
  event.preventDefault();
  const token = $('login-token').value.trim();
  $('login-submit').disabled = true;
  try {
    await post('/login', { token });
    $('login-token').value = '';
    startApp({ required: true, authenticated: true, role: 'operator' });
  } catch (e) {
    let message = e.message;
    if (e instanceof ApiError && e.status === 429) message = `Too many failed attempts; try again in ${e.retryAfter || 'a few'} s.`;
    else if (e instanceof ApiError && e.status === 401) message = 'Wrong token.';
    $('login-error').textContent = message;
  } finally {
    $('login-submit').disabled = false;
  }
}

async function boot() {
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', async () => {
    try { await post('/logout'); } catch { /* the cookie is cleared anyway */ }
    showLogin('Logged out.');
  });
  for (const tab of document.querySelectorAll('[data-view]')) tab.addEventListener('click', () => showView(tab.dataset.view));
  onUnauthorized(() => showLogin('Please log in.'));
  for (let attempt = 0; ; attempt += 1) {
    try {
      const session = await get('/api/session');
      if (session.required && !session.authenticated) {
        // A server that takes only the platform's JWTs has no token to log in with.
        showLogin(session.login === false ? 'Sign in on the platform first: this server accepts its token (the "token" cookie or Authorization: Bearer).' : '');
      } else startApp(session);
      return;
    } catch {
      setConnection('reconnecting', 'the server cannot be reached');
      await new Promise((r) => setTimeout(r, Math.min(5000, 500 * 2 ** attempt)));
    }
  }
}

boot();
