// Active pulls with live progress (/ws/image-pull-all, subscribe "*"), failed pulls with
// their reason, details and retry, the pull form, and cancel (docs/architecture.md §3, §4).

import { del, get, post } from './api.js';
import { $, clear, el, formatTime, relativeTime } from './dom.js';
import { ReconnectingSocket } from './socket.js';

const FINISHED_VISIBLE_MS = 120000;
const CHECK_DELAY_MS = 250;
const HISTORY_PAGE = 50;

export class PullsPage {
  constructor({ onConnection, onOpenLogs }) {
    this.active = new Map(); // job_id → status message
    this.finishedAt = new Map(); // job_id → when it left the active set
    this.onConnection = onConnection;
    this.onOpenLogs = onOpenLogs;
    this.canOperate = true; // a viewer (docs/architecture.md §6) may not start, retry or cancel
    this.socket = new ReconnectingSocket(() => '/ws/image-pull-all', {
      onOpen: () => this.socket.send({ action: 'subscribe', job_id: '*' }),
      onMessage: (m) => this.onMessage(m),
      onState: (state, detail) => this.onConnection(state, detail),
    });
    $('pull-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    $('failed-refresh').addEventListener('click', () => this.loadFailed());
    $('details-close').addEventListener('click', () => { $('details').hidden = true; });
    // The reference rules are the server's (POST /images/pull-check): the same words as the
    // desktop dialog, checked as the user types; once every line passes, "will be copied to …"
    // from the server's Harbor target rule (POST /images/pull-preview).
    $('pull-names').addEventListener('input', () => {
      clearTimeout(this.checkTimer);
      this.checkTimer = setTimeout(() => this.checkThenPreview(), CHECK_DELAY_MS);
    });
    this.menu = new PullMenu({
      canOperate: () => this.canOperate,
      viewLogs: (job) => this.viewLogs(job),
      retry: (job) => this.retry(job),
      cancel: (job) => this.cancel(job),
      copied: (what) => this.feedback(`Copied ${what}`),
    });
    this.failed = [];
    this.history = [];
    $('history-status').addEventListener('change', () => this.loadHistory());
    $('history-more').addEventListener('click', () => this.loadHistory(true));
    this.ticker = setInterval(() => this.renderActive(), 5000);
    // Relative times tick every second, without rebuilding rows.
    this.clock = setInterval(() => tickTimes(), 1000);
  }

  /** Double-click or "View logs": the Logs view on the pull's Job. */
  viewLogs(job) {
    this.onOpenLogs(job.namespace || 'default', 'job', job.job_id, ''); // every container, in order
  }

  /** Row behaviour shared by every pull table: logs on double-click, the menu on right-click. */
  interactive(row, job) {
    row.tabIndex = 0;
    row.addEventListener('dblclick', () => {
      window.getSelection()?.removeAllRanges(); // a double-click also selects a word
      this.viewLogs(job);
    });
    row.addEventListener('contextmenu', (e) => {
      e.preventDefault();
      this.menu.open(job, e.clientX, e.clientY);
    });
    row.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this.viewLogs(job);
      if (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) {
        e.preventDefault();
        const r = row.getBoundingClientRect();
        this.menu.open(job, r.left + 16, r.bottom);
      }
    });
    return row;
  }

  /** Lines of the form as the desktop dialog reads them: blank lines and # comments skipped. */
  formLines() {
    return $('pull-names').value.split('\n').map((text, i) => ({ line: i + 1, name: text.trim() }))
      .filter((l) => l.name && !l.name.startsWith('#'));
  }

  /** Asks the server about every line; shows "line N: why" for each bad one. */
  async checkNames() {
    const lines = this.formLines();
    const problems = $('pull-problems');
    if (!lines.length) {
      problems.replaceChildren();
      $('pull-names').classList.remove('invalid');
      return [];
    }
    let results;
    try {
      results = await post('/images/pull-check', { names: lines.map((l) => l.name) });
    } catch (e) {
      problems.replaceChildren(el('li', { text: e.message }));
      return [e.message];
    }
    const bad = [];
    (results || []).forEach((r, i) => {
      if (!r.ok) bad.push(`line ${lines[i].line}: ${r.error}`);
    });
    problems.replaceChildren(...bad.map((text) => el('li', { text })));
    $('pull-names').classList.toggle('invalid', bad.length > 0);
    return bad;
  }

  /** Shows the pull form, Cancel and Retry only to operators. */
  setCanOperate(canOperate) {
    this.canOperate = canOperate;
    $('pull-form').hidden = !canOperate;
    this.renderActive();
    this.renderFailed();
  }

  start() {
    this.socket.start();
    this.loadFailed();
    this.loadHistory();
  }

  stop() {
    this.socket.stop();
  }

  onMessage(m) {
    if (m.type === 'subscribed' && m.job_id === '*') {
      // The snapshot replaces what we had: after a reconnect nothing stale stays.
      const keep = new Map([...this.active].filter(([, job]) => isFinished(job)));
      this.active = keep;
      for (const job of m.snapshot || []) this.active.set(job.job_id, job);
      this.renderActive();
      this.loadFailed();
    } else if (m.type === 'status') {
      const before = this.active.get(m.job_id);
      this.active.set(m.job_id, { ...before, ...m });
      if (isFinished(m) && !this.finishedAt.has(m.job_id)) this.finishedAt.set(m.job_id, Date.now());
      if (m.status === 'failed') this.loadFailed();
      if (isFinished(m)) this.loadHistory();
      this.renderActive();
    } else if (m.type === 'error') {
      this.feedback(`Server: ${m.error}`, true);
    }
  }

  renderActive() {
    const now = Date.now();
    for (const [id, at] of this.finishedAt) {
      if (now - at > FINISHED_VISIBLE_MS) {
        this.active.delete(id);
        this.finishedAt.delete(id);
      }
    }
    const body = $('active-table').tBodies[0];
    const jobs = [...this.active.values()].sort((a, b) => String(a.created_at || '').localeCompare(String(b.created_at || '')));
    body.replaceChildren(...jobs.map((job) => this.activeRow(job)));
    // The heading counts the rows below it (finished pulls stay a while, marked).
    $('active-count').textContent = jobs.length ? `(${jobs.length})` : '';
    $('active-empty').hidden = jobs.length > 0;
  }

  activeRow(job) {
    const progress = Number(job.progress) || 0;
    const bar = el('div', { class: `bar bar-${job.status}`, role: 'progressbar', 'aria-valuenow': progress, 'aria-valuemin': 0, 'aria-valuemax': 100 });
    const fill = el('div', { class: 'fill' });
    fill.style.width = `${Math.max(0, Math.min(100, progress))}%`;
    bar.append(fill, el('span', { class: 'pct', text: `${progress}%` }));
    const actions = el('td', { class: 'actions' });
    if (!isFinished(job)) {
      if (this.canOperate) actions.append(el('button', { type: 'button', class: 'small danger', text: 'Cancel', onclick: () => this.cancel(job) }));
    } else {
      actions.append(el('button', { type: 'button', class: 'small', text: 'Details', onclick: () => this.details(job.job_id) }));
    }
    return this.interactive(el('tr', { dataset: { jobId: job.job_id, status: job.status } },
      el('td', { class: 'image', text: imageOf(job), title: job.job_id, dataset: { label: 'Image' } }),
      el('td', { dataset: { label: 'Stage' } }, el('span', { class: `status status-${job.status}`, text: job.status }), ' ', el('span', { class: 'stage', text: job.stage || '' })),
      el('td', { class: 'progress-col', dataset: { label: 'Progress' } }, bar),
      el('td', { class: 'message', text: job.reason ? `${job.reason}: ${job.message || ''}` : (job.message || ''), dataset: { label: 'Message' } }),
      timeCell(job.timestamp || job.updated_at, 'Updated'),
      actions), job);
  }

  async loadFailed() {
    try {
      this.failed = (await get('/images/pull-failed?limit=50')) || [];
      this.renderFailed();
    } catch (e) {
      this.feedback(`Cannot load failed pulls: ${e.message}`, true);
    }
  }

  renderFailed() {
    const failed = this.failed;
    const body = $('failed-table').tBodies[0];
    body.replaceChildren(...failed.map((job) => this.interactive(el('tr', { dataset: { jobId: job.job_id, status: 'failed' } },
      el('td', { class: 'image', text: imageOf(job), title: job.job_id, dataset: { label: 'Image' } }),
      el('td', { dataset: { label: 'Reason' } }, el('span', { class: 'reason', text: job.reason || 'Unknown' })),
      el('td', { class: 'message', text: job.message || '', dataset: { label: 'Message' } }),
      timeCell(job.finished_at || job.updated_at, 'Failed'),
      el('td', { class: 'actions' },
        el('button', { type: 'button', class: 'small', text: 'Details', onclick: () => this.details(job.job_id) }),
        el('button', { type: 'button', class: 'small', text: 'Retry', onclick: () => this.retry(job) }))), job)));
    $('failed-count').textContent = failed.length ? `(${failed.length})` : '';
    $('failed-empty').hidden = failed.length > 0;
  }

  /** GET /images/pull-history: the first page again, or (more) the next older one. */
  async loadHistory(more = false) {
    const status = $('history-status').value;
    const last = this.history[this.history.length - 1];
    // The cursor: the last pull's finished_at and job_id (ties keep their order).
    const before = more && last
      ? `&before=${encodeURIComponent(last.finished_at)}&before_id=${encodeURIComponent(last.job_id)}` : '';
    try {
      const page = (await get(`/images/pull-history?status=${status}&limit=${HISTORY_PAGE}${before}`)) || [];
      if (status !== $('history-status').value) return; // answered for a filter no longer chosen
      this.history = more ? this.history.concat(page) : page;
      $('history-more').hidden = page.length < HISTORY_PAGE;
      this.renderHistory();
    } catch (e) {
      this.feedback(`Cannot load the history: ${e.message}`, true);
    }
  }

  renderHistory() {
    const rows = this.history;
    $('history-table').tBodies[0].replaceChildren(...rows.map((job) => this.interactive(
      el('tr', { dataset: { jobId: job.job_id, status: job.status } },
        el('td', { class: 'image', text: imageOf(job), title: job.job_id, dataset: { label: 'Image' } }),
        el('td', { dataset: { label: 'Status' } }, el('span', { class: `status status-${job.status}`, text: job.status }),
          job.reason ? el('span', { class: 'reason', text: ` ${job.reason}` }) : null),
        el('td', { class: 'duration', text: formatDuration(job.duration_seconds), dataset: { label: 'Duration' } }),
        el('td', { class: 'image target', text: job.target || '', dataset: { label: 'Harbor target' } }),
        timeCell(job.finished_at, 'Finished')), job)));
    $('history-count').textContent = rows.length ? `(${rows.length})` : '';
    $('history-empty').hidden = rows.length > 0;
  }

  async details(id) {
    let job;
    try {
      job = await get(`/images/pull/${encodeURIComponent(id)}`);
    } catch (e) {
      this.feedback(`Cannot load pull ${id}: ${e.message}`, true);
      return;
    }
    $('details-title').textContent = imageOf(job);
    // The cause first: the server leads a failed pull's message with the line that explains it.
    const cause = $('details-cause');
    cause.textContent = job.message || '';
    cause.classList.toggle('error', job.status === 'failed');
    const fields = $('details-fields');
    clear(fields);
    const rows = [['Job', job.job_id], ['Status', job.status], ['Stage', job.stage], ['Reason', job.reason],
      ['Source', job.source], ['Target', job.target], ['Namespace', job.namespace],
      ['Pod', job.pod], ['Node', job.node], ['Created', job.created_at], ['Finished', job.finished_at],
      ['Retry of', job.retry_of], ['Retried by', job.retried_by]];
    for (const [k, v] of rows) if (v !== undefined && v !== null && v !== '') fields.append(el('dt', { text: k }), el('dd', { text: String(v) }));
    if (job.namespace) {
      fields.append(el('dt', { text: 'Logs' }), el('dd', {}, el('button', {
        type: 'button', class: 'link', text: `view the logs of job ${job.job_id}`,
        onclick: () => this.viewLogs(job),
      })));
    }
    const events = $('details-events').tBodies[0];
    events.replaceChildren(...(job.events || []).map((e) => el('tr', {},
      el('td', { class: 'time', text: formatTime(e.time) }), el('td', { text: e.type }),
      el('td', { text: e.reason }), el('td', { class: 'message', text: `${e.message}${e.count > 1 ? ` (×${e.count})` : ''}` }))));
    const logs = $('details-logs');
    clear(logs);
    for (const [container, tail] of Object.entries(job.logs || {})) {
      logs.append(el('h4', { text: container }), el('pre', { class: 'log-tail', text: tail || '(no output)' }));
    }
    $('details').hidden = false;
    $('details').scrollIntoView({ block: 'nearest' });
  }

  async retry(job) {
    try {
      const data = await post(`/images/pull/${encodeURIComponent(job.job_id)}/retry`);
      this.feedback(`Retrying ${imageOf(job)}${data && data.job_id ? ` as ${data.job_id}` : ''}`);
      this.loadFailed();
    } catch (e) {
      this.feedback(`Retry failed: ${e.message}`, true);
    }
  }

  async cancel(job) {
    try {
      await del(`/images/pull/${encodeURIComponent(job.job_id)}`);
      this.feedback(`Cancelled ${imageOf(job)}`);
    } catch (e) {
      this.feedback(`Cancel failed: ${e.message}`, true);
    }
  }

  async checkThenPreview() {
    const asked = $('pull-names').value;
    const bad = await this.checkNames();
    if ($('pull-names').value !== asked) return; // typed on meanwhile: a newer check follows
    if (bad.length) clear($('pull-preview'));
    else await this.preview();
  }

  async preview() {
    const list = $('pull-preview');
    const names = this.formLines().map((l) => l.name);
    const asked = $('pull-names').value;
    if (!names.length) {
      clear(list);
      return;
    }
    let items;
    try {
      const data = await post('/images/pull-preview', { names });
      items = (data || []).map((p) => el('li', {
        text: p.active_job_id
          ? `${p.name} → joins pull ${p.active_job_id} (copying to ${p.harbor_target})`
          : `${p.name} → will be copied to ${p.harbor_target}`,
      }));
    } catch (e) {
      items = [el('li', { class: 'error', text: e.message })];
    }
    if ($('pull-names').value !== asked) return; // typed on meanwhile: a newer preview follows
    clear(list);
    for (const item of items) list.append(item);
  }

  async submit() {
    const names = this.formLines().map((l) => l.name);
    if (!names.length) {
      this.feedback('Enter at least one image, e.g. nginx:1.27', true);
      return;
    }
    clearTimeout(this.checkTimer);
    const bad = await this.checkNames();
    if (bad.length) {
      this.feedback(`${bad.length === 1 ? 'One line is' : `${bad.length} lines are`} not an image reference: see below`, true);
      return;
    }
    $('pull-submit').disabled = true;
    try {
      const data = await post('/images/pull', { names });
      const ids = (data && data.job_ids) || [];
      this.feedback(`Started ${ids.length} pull${ids.length === 1 ? '' : 's'}`);
      $('pull-names').value = '';
      $('pull-problems').replaceChildren();
      clear($('pull-preview'));
    } catch (e) {
      this.feedback(e.message, true);
    } finally {
      $('pull-submit').disabled = false;
    }
  }

  feedback(text, isError = false) {
    const node = $('pull-feedback');
    node.textContent = text;
    node.classList.toggle('error', isError);
  }
}

function isFinished(job) {
  return job.status === 'completed' || job.status === 'failed';
}

function imageOf(job) {
  if (job.image) return job.image;
  if (job.image_name) return job.image_tag ? `${job.image_name}${String(job.image_tag).startsWith('sha256:') ? '@' : ':'}${job.image_tag}` : job.image_name;
  return job.job_id || '';
}

/** A time cell that ticks: its text is redrawn from data-time every second. */
function timeCell(value, label) {
  return el('td', { class: 'time', text: relativeTime(value), title: value || '', dataset: { time: value || '', label } });
}

export function tickTimes(root = document) {
  for (const cell of root.querySelectorAll('td.time[data-time]')) {
    if (cell.dataset.time) cell.textContent = relativeTime(cell.dataset.time);
  }
}

async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = el('textarea', { class: 'offscreen' });
  area.value = text;
  document.body.append(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}

/** The context menu of a pull row: View logs, Retry, Cancel, Copy image, Copy Harbor target. */
class PullMenu {
  constructor(actions) {
    this.actions = actions;
    this.node = $('pull-menu');
    document.addEventListener('click', () => this.close());
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape') this.close(); });
    window.addEventListener('blur', () => this.close());
  }

  open(job, x, y) {
    const item = (text, enabled, run) => el('button', {
      type: 'button', role: 'menuitem', text, disabled: !enabled,
      onclick: (e) => { e.stopPropagation(); this.close(); run(); },
    });
    const image = imageOf(job);
    const operate = this.actions.canOperate(); // a viewer may not retry or cancel
    this.node.replaceChildren(
      item('View logs', Boolean(job.job_id), () => this.actions.viewLogs(job)),
      item('Retry', operate && job.status === 'failed', () => this.actions.retry(job)),
      item('Cancel', operate && !isFinished(job), () => this.actions.cancel(job)),
      item('Copy image', Boolean(image), () => copyText(image).then(() => this.actions.copied(image))),
      item('Copy Harbor target', Boolean(job.target), () => copyText(job.target).then(() => this.actions.copied(job.target))));
    this.node.hidden = false;
    const width = this.node.offsetWidth;
    const height = this.node.offsetHeight;
    this.node.style.left = `${Math.max(0, Math.min(x, window.innerWidth - width - 4))}px`;
    this.node.style.top = `${Math.max(0, Math.min(y, window.innerHeight - height - 4))}px`;
    this.node.querySelector('button:not([disabled])')?.focus();
  }

  close() {
    this.node.hidden = true;
  }
}

function formatDuration(seconds) {
  if (typeof seconds !== 'number' || seconds < 0) return '';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}
