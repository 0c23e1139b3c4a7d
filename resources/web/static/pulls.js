// Active pulls with live progress (/ws/image-pull-all, subscribe "*"), failed pulls with
// their reason, details and retry, the pull form, and cancel (docs/architecture.md §3, §4).

import { del, get, post } from './api.js';
import { $, clear, el, formatTime, relativeTime } from './dom.js';
import { ReconnectingSocket } from './socket.js';

// A rough client-side check; the server validates every name and its message is shown.
const IMAGE_LINE = /^[a-z0-9]([a-z0-9._\-/:]*[a-z0-9])?(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127}|@sha256:[a-f0-9]{64})?$/;
const FINISHED_VISIBLE_MS = 120000;

export class PullsPage {
  constructor({ onConnection, onOpenLogs }) {
    this.active = new Map(); // job_id → status message
    this.finishedAt = new Map(); // job_id → when it left the active set
    this.onConnection = onConnection;
    this.onOpenLogs = onOpenLogs;
    this.socket = new ReconnectingSocket(() => '/ws/image-pull-all', {
      onOpen: () => this.socket.send({ action: 'subscribe', job_id: '*' }),
      onMessage: (m) => this.onMessage(m),
      onState: (state, detail) => this.onConnection(state, detail),
    });
    $('pull-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    // "will be copied to …": the server's own rule (POST /images/pull-preview), after typing stops.
    this.previewTimer = null;
    $('pull-names').addEventListener('input', () => {
      clearTimeout(this.previewTimer);
      this.previewTimer = setTimeout(() => this.preview(), 400);
    });
    $('failed-refresh').addEventListener('click', () => this.loadFailed());
    $('details-close').addEventListener('click', () => { $('details').hidden = true; });
    this.ticker = setInterval(() => this.renderActive(), 5000);
  }

  start() {
    this.socket.start();
    this.loadFailed();
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
    const running = jobs.filter((j) => !isFinished(j)).length;
    $('active-count').textContent = running ? `(${running})` : '';
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
      actions.append(el('button', { type: 'button', class: 'small danger', text: 'Cancel', onclick: () => this.cancel(job) }));
    } else {
      actions.append(el('button', { type: 'button', class: 'small', text: 'Details', onclick: () => this.details(job.job_id) }));
    }
    return el('tr', { dataset: { jobId: job.job_id, status: job.status } },
      el('td', { class: 'image', text: imageOf(job), title: job.job_id }),
      el('td', {}, el('span', { class: `status status-${job.status}`, text: job.status }), ' ', el('span', { class: 'stage', text: job.stage || '' })),
      el('td', { class: 'progress-col' }, bar),
      el('td', { class: 'message', text: job.reason ? `${job.reason}: ${job.message || ''}` : (job.message || '') }),
      el('td', { class: 'time', text: relativeTime(job.timestamp || job.updated_at), title: job.timestamp || job.updated_at || '' }),
      actions);
  }

  async loadFailed() {
    try {
      const failed = (await get('/images/pull-failed?limit=50')) || [];
      const body = $('failed-table').tBodies[0];
      body.replaceChildren(...failed.map((job) => el('tr', { dataset: { jobId: job.job_id } },
        el('td', { class: 'image', text: imageOf(job), title: job.job_id }),
        el('td', {}, el('span', { class: 'reason', text: job.reason || 'Unknown' })),
        el('td', { class: 'message', text: job.message || '' }),
        el('td', { class: 'time', text: relativeTime(job.finished_at || job.updated_at), title: job.finished_at || job.updated_at || '' }),
        el('td', { class: 'actions' },
          el('button', { type: 'button', class: 'small', text: 'Details', onclick: () => this.details(job.job_id) }),
          el('button', { type: 'button', class: 'small', text: 'Retry', onclick: () => this.retry(job) })))));
      $('failed-count').textContent = failed.length ? `(${failed.length})` : '';
      $('failed-empty').hidden = failed.length > 0;
    } catch (e) {
      this.feedback(`Cannot load failed pulls: ${e.message}`, true);
    }
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
    const fields = $('details-fields');
    clear(fields);
    const rows = [['Job', job.job_id], ['Status', job.status], ['Stage', job.stage], ['Reason', job.reason],
      ['Message', job.message], ['Source', job.source], ['Target', job.target], ['Namespace', job.namespace],
      ['Pod', job.pod], ['Node', job.node], ['Created', job.created_at], ['Finished', job.finished_at],
      ['Retry of', job.retry_of], ['Retried by', job.retried_by]];
    for (const [k, v] of rows) if (v !== undefined && v !== null && v !== '') fields.append(el('dt', { text: k }), el('dd', { text: String(v) }));
    if (job.pod && job.namespace) {
      fields.append(el('dt', { text: 'Logs' }), el('dd', {}, el('button', {
        type: 'button', class: 'link', text: `follow ${job.pod}`,
        onclick: () => this.onOpenLogs(job.namespace, 'pod', job.pod),
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

  async preview() {
    const list = $('pull-preview');
    const names = $('pull-names').value.split('\n').map((s) => s.trim()).filter(Boolean);
    const asked = $('pull-names').value;
    if (!names.length || names.some((n) => !IMAGE_LINE.test(n) || n.length > 512)) {
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
    const names = $('pull-names').value.split('\n').map((s) => s.trim()).filter(Boolean);
    if (!names.length) {
      this.feedback('Enter at least one image, e.g. nginx:1.27', true);
      return;
    }
    const bad = names.filter((n) => !IMAGE_LINE.test(n) || n.length > 512);
    if (bad.length) {
      this.feedback(`Not an image reference: ${bad.join(', ')}`, true);
      return;
    }
    $('pull-submit').disabled = true;
    try {
      const data = await post('/images/pull', { names });
      const ids = (data && data.job_ids) || [];
      this.feedback(`Started ${ids.length} pull${ids.length === 1 ? '' : 's'}`);
      $('pull-names').value = '';
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
