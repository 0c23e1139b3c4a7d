// The live log viewer: namespace → pod or job → container (GET /namespaces, /pods), follow
// over /ws/pod-logs (docs/architecture.md §4) with resume=<seq> after a drop, pause with a queued count,
// search/highlight, filter (plain or regex), ANSI colours, wrap, timestamps, download, gap
// and reconnect markers.

import { get } from './api.js';
import { $, el } from './dom.js';
import { LogStore } from './logstore.js';
import { LogView, MAX_ROWS } from './logview.js';
import { ReconnectingSocket } from './socket.js';

const FLUSH_MS = 100;
const FLOOD_ROWS = 400;

export class LogsPage {
  constructor() {
    this.view = new LogView($('log-view'));
    this.store = new LogStore();
    this.socket = null;
    this.pods = [];
    this.pending = [];
    this.paused = false;
    this.queued = 0;
    this.frameRequested = false;
    this.lastFlush = 0;
    this.target = null;
    this.searchHits = 0;
    this.loaded = false;
    this.bind();
  }

  bind() {
    $('log-namespace').addEventListener('change', () => this.loadPods());
    $('log-target').addEventListener('change', () => this.fillContainers());
    $('log-container').addEventListener('change', () => { this.allContainers = $('log-container').value === ''; });
    $('log-follow').addEventListener('click', () => this.follow());
    $('log-stop').addEventListener('click', () => this.stop('stopped'));
    $('log-pause').addEventListener('click', () => this.togglePause());
    $('log-clear').addEventListener('click', () => {
      this.store.clear();
      this.view.rebuild([]);
      this.updateSearchCount();
    });
    $('log-download').addEventListener('click', () => this.download());
    $('log-search').addEventListener('input', () => {
      this.view.setSearch($('log-search').value);
      this.redraw();
    });
    $('log-search').addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this.stepSearch(e.shiftKey ? -1 : 1);
    });
    $('log-search-next').addEventListener('click', () => this.stepSearch(1));
    $('log-search-prev').addEventListener('click', () => this.stepSearch(-1));
    $('log-filter').addEventListener('input', () => this.applyFilter());
    $('log-filter-regex').addEventListener('change', () => this.applyFilter());
    $('log-wrap').addEventListener('change', () => {
      $('log-view').classList.toggle('wrap', $('log-wrap').checked);
    });
    $('log-timestamps').addEventListener('change', () => {
      this.view.showTimestamps = $('log-timestamps').checked;
      this.redraw();
    });
  }

  async show() {
    if (this.loaded) return;
    this.loaded = true;
    await this.loadNamespaces();
  }

  error(message) {
    $('log-error').textContent = message || '';
  }

  async loadNamespaces() {
    try {
      const namespaces = (await get('/namespaces')) || [];
      const select = $('log-namespace');
      const previous = select.value;
      select.replaceChildren(...namespaces.map((ns) => el('option', { value: ns.name, text: ns.name })));
      const preferred = namespaces.find((ns) => ns.name === previous) || namespaces.find((ns) => ns.name === 'demo')
        || namespaces.find((ns) => ns.name === 'default') || namespaces[0];
      if (preferred) select.value = preferred.name;
      this.error('');
      await this.loadPods();
    } catch (e) {
      this.loaded = false;
      this.error(`Cannot list namespaces: ${e.message}`);
    }
  }

  async loadPods() {
    const ns = $('log-namespace').value;
    if (!ns) return;
    try {
      this.pods = (await get(`/pods?namespace=${encodeURIComponent(ns)}`)) || [];
      this.error('');
    } catch (e) {
      this.pods = [];
      this.error(`Cannot list pods: ${e.message}`);
    }
    const select = $('log-target');
    const previous = select.value;
    const options = this.pods.map((p) => el('option', { value: `pod:${p.name}`, text: `${p.name} (${p.phase})` }));
    const jobs = [...new Set(this.pods.map((p) => p.job).filter(Boolean))];
    for (const job of jobs) options.push(el('option', { value: `job:${job}`, text: `job ${job}` }));
    select.replaceChildren(...options);
    if ([...select.options].some((o) => o.value === previous)) select.value = previous;
    this.fillContainers();
  }

  fillContainers() {
    const [kind, name] = splitTarget($('log-target').value);
    const pods = kind === 'job' ? this.pods.filter((p) => p.job === name) : this.pods.filter((p) => p.name === name);
    const names = [];
    for (const pod of pods) {
      for (const c of [...(pod.init_containers || []), ...(pod.containers || [])]) {
        if (!names.some((n) => n.name === c.name)) names.push({ name: c.name, init: c.init, state: c.state });
      }
    }
    const select = $('log-container');
    const previous = select.value;
    // A job's pod can be followed container by container, init containers first (no container=).
    const all = kind === 'job' ? [el('option', { value: '', text: 'all containers, in order' })] : [];
    select.replaceChildren(...all, ...names.map((c) => el('option', {
      value: c.name, text: `${c.name}${c.init ? ' (init)' : ''}${c.state ? ` · ${c.state}` : ''}`,
    })));
    const main = names.find((c) => !c.init);
    if (names.some((c) => c.name === previous) || (all.length && previous === '' && this.allContainers)) select.value = previous;
    else if (main) select.value = main.name;
  }

  /** Follows a pod or job directly (used by the pull details' "logs" link). */
  async open(namespace, kind, name, container) {
    await this.show();
    const nsSelect = $('log-namespace');
    if (![...nsSelect.options].some((o) => o.value === namespace)) nsSelect.append(el('option', { value: namespace, text: namespace }));
    nsSelect.value = namespace;
    await this.loadPods();
    const target = $('log-target');
    const value = `${kind}:${name}`;
    if (![...target.options].some((o) => o.value === value)) target.append(el('option', { value, text: `${kind} ${name}` }));
    target.value = value;
    this.fillContainers();
    this.allContainers = container === '';
    if (container !== undefined) $('log-container').value = container;
    this.follow();
  }

  follow() {
    this.stop();
    const [kind, name] = splitTarget($('log-target').value);
    const namespace = $('log-namespace').value;
    if (!name || !namespace) {
      this.error('Choose a namespace and a pod or job first.');
      return;
    }
    this.error('');
    const tail = Math.max(1, Math.min(100000, Number($('log-tail').value) || 1000));
    this.target = { namespace, kind, name, container: $('log-container').value };
    this.store = new LogStore();
    this.pending = [];
    this.queued = 0;
    this.view.rebuild([]);
    this.updateSearchCount();
    const base = new URLSearchParams({ namespace, [kind]: name, tailLines: String(tail), timestamps: 'true' });
    if (this.target.container) base.set('container', this.target.container);
    this.socket = new ReconnectingSocket(() => {
      const params = new URLSearchParams(base);
      if (this.store.nextSeq >= 0) {
        params.set('resume', String(this.store.nextSeq));
        // The stream that number counts in: if it has ended, the server says "restarted"
        // rather than taking the number as a line of a newer stream (docs/api.md).
        if (this.store.streamId) params.set('stream', this.store.streamId);
      }
      return `/ws/pod-logs?${params}`;
    }, {
      onOpen: (reconnected) => {
        if (reconnected) {
          this.store.expectReplay();
          this.addMarker(`reconnected; resuming at line ${this.store.nextSeq}`, 'ok');
        }
      },
      onMessage: (m) => this.onMessage(m),
      onState: (state, detail) => this.onSocketState(state, detail),
      shouldReconnect: (event) => event.code !== 1000 && event.code !== 1008 && !this.finished,
    });
    this.finished = false;
    this.socket.start();
    $('log-stop').disabled = false;
    $('log-pause').disabled = false;
    this.setPaused(false);
  }

  stop(reason) {
    if (this.socket) {
      this.socket.stop();
      this.socket = null;
      if (reason) this.addMarker(reason, 'info');
    }
    $('log-stop').disabled = true;
    $('log-pause').disabled = true;
  }

  onSocketState(state, detail) {
    const badge = $('log-state');
    if (state === 'reconnecting') {
      badge.className = 'badge badge-warn';
      badge.textContent = 'reconnecting…';
      if (!this.reconnectShown) {
        this.reconnectShown = true;
        this.addMarker(`connection lost — reconnecting (${detail})`, 'warn');
      }
      $('log-status').textContent = `Connection lost: ${detail}`;
    } else if (state === 'open') {
      this.reconnectShown = false;
      badge.className = 'badge badge-ok';
      badge.textContent = 'connected';
      $('log-status').textContent = detail === 'reconnected' ? 'Reconnected: the stream resumed where it stopped.' : '';
    } else if (state === 'closed') {
      badge.className = 'badge badge-idle';
      badge.textContent = this.finished ? 'ended' : 'stopped';
    } else {
      badge.className = 'badge badge-idle';
      badge.textContent = 'connecting…';
    }
  }

  onMessage(m) {
    switch (m.type) {
      case 'log': {
        const added = this.store.addFrame(m);
        this.enqueue(added);
        if (this.view.search) this.countHits(added);
        break;
      }
      case 'gap':
        // The server's stream numbers from 0 again (docs/api.md): follow the new numbers.
        if (m.restarted === true) this.store.resetSequence(m.seq);
        this.addMarker(m.missed > 0 ? `${m.missed} lines missed${m.detail ? ` (${m.detail})` : ''}` : (m.detail || 'gap'), 'warn');
        break;
      case 'stream': {
        if (typeof m.stream === 'string') this.store.setStream(m.stream);
        const text = `stream ${m.state}${m.detail ? `: ${m.detail}` : ''}`;
        $('log-status').textContent = text;
        if (m.state === 'ended') this.finished = true;
        if (m.state !== 'streaming' || this.lastStreamState !== 'streaming') this.addMarker(text, m.state === 'ended' ? 'info' : (m.state === 'streaming' ? 'ok' : 'warn'));
        this.lastStreamState = m.state;
        break;
      }
      case 'error':
        this.finished = true;
        this.error(m.error);
        this.addMarker(`error: ${m.error}`, 'error');
        break;
      default:
        break;
    }
  }

  addMarker(text, level) {
    this.enqueue([this.store.marker(text, level)]);
  }

  enqueue(entries) {
    if (!entries.length) return;
    if (this.paused) {
      this.queued += entries.filter((e) => e.kind === 'line').length;
      $('log-pause').textContent = `Resume (${this.queued} new)`;
      return;
    }
    for (const e of entries) this.pending.push(e);
    if (this.pending.length > MAX_ROWS) this.pending.splice(0, this.pending.length - MAX_ROWS);
    if (!this.frameRequested) {
      // At most one redraw per FLUSH_MS: under a flood the page draws ten times a second,
      // not once per WebSocket frame.
      this.frameRequested = true;
      const wait = Math.max(0, FLUSH_MS - (performance.now() - this.lastFlush));
      setTimeout(() => requestAnimationFrame(() => this.flush()), wait);
    }
  }

  flush() {
    this.frameRequested = false;
    this.lastFlush = performance.now();
    const follow = $('log-autoscroll').checked;
    const batch = this.pending;
    this.pending = [];
    if (follow && batch.length > FLOOD_ROWS) {
      // A flood: nobody reads lines scrolling by at this rate, so only the newest rows are
      // drawn (cheaper than appending and trimming thousands); Pause shows the full tail.
      this.view.rebuild(batch.slice(batch.length - FLOOD_ROWS));
    } else {
      this.view.append(batch);
    }
    if (follow) this.view.scrollToEnd();
    this.updateSearchCount();
  }

  togglePause() {
    this.setPaused(!this.paused);
  }

  setPaused(paused) {
    const changed = this.paused !== paused;
    this.paused = paused;
    const button = $('log-pause');
    button.textContent = paused ? `Resume (${this.queued} new)` : 'Pause';
    button.classList.toggle('active', paused);
    if (paused && changed) {
      // What was drawn during a flood may be only the newest rows: show the whole tail.
      this.redraw();
    } else if (!paused && this.queued) {
      this.queued = 0;
      this.redraw();
    }
  }

  redraw() {
    this.pending = [];
    this.view.rebuild(this.store.entries);
    if ($('log-autoscroll').checked) this.view.scrollToEnd();
    this.recountHits();
  }

  applyFilter() {
    const value = $('log-filter').value;
    const regex = $('log-filter-regex').checked;
    this.view.filter = null;
    $('log-filter').classList.remove('invalid');
    if (value) {
      if (regex) {
        try {
          const re = new RegExp(value, 'i');
          this.view.filter = (text) => re.test(text);
        } catch (e) {
          $('log-filter').classList.add('invalid');
          this.error(`Filter: ${e.message}`);
          return;
        }
      } else {
        const lower = value.toLowerCase();
        this.view.filter = (text) => text.toLowerCase().includes(lower);
      }
    }
    this.error('');
    this.redraw();
  }

  countHits(entries) {
    const term = this.view.search;
    for (const e of entries) if (e.kind === 'line' && e.text.toLowerCase().includes(term)) this.searchHits += 1;
  }

  recountHits() {
    this.searchHits = 0;
    if (this.view.search) this.countHits(this.store.entries);
    this.updateSearchCount();
  }

  updateSearchCount() {
    $('log-search-count').textContent = this.view.search ? `${this.searchHits} lines match` : '';
  }

  stepSearch(direction) {
    const [index, total] = this.view.step(direction);
    if (total) $('log-search-count').textContent = `${this.searchHits} lines match · ${index}/${total} shown`;
  }

  download() {
    const t = this.target;
    const name = t ? `${t.namespace}-${t.name}${t.container ? `-${t.container}` : ''}.log` : 'pullwatch.log';
    const blob = new Blob([this.store.toText(true)], { type: 'text/plain' });
    const url = URL.createObjectURL(blob);
    const a = el('a', { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
}

function splitTarget(value) {
  const i = (value || '').indexOf(':');
  return i < 0 ? ['pod', ''] : [value.slice(0, i), value.slice(i + 1)];
}
