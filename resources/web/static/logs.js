// The live log viewer: namespace → pod, Job or app= selector → container or every container,
// lists kept live by /ws/catalog; a choice follows at once over /ws/pod-logs
// (docs/architecture.md §4), each target in its own view (a switcher with unread counts),
// resume=<seq> after a drop, pause with a queued count, search/highlight, filter (plain,
// regex, or one source of a merged stream by clicking its prefix), levels coloured, JSON
// pretty-printed on demand, jump to the bottom, since / previous, download of one view.

import { get } from './api.js';
import { Catalog } from './catalog.js';
import { $, el } from './dom.js';
import { LogStore } from './logstore.js';
import { describeSource, saveName, SourcePalette } from './logsources.js';
import { LogView, MAX_ROWS } from './logview.js';
import { ReconnectingSocket } from './socket.js';

const FLUSH_MS = 100;
const FLOOD_ROWS = 400;
const MAX_VIEWS = 8;

export class LogsPage {
  constructor() {
    this.view = new LogView($('log-view'), (source) => this.filterSource(source));
    this.empty = new LogStore();
    this.views = []; // {key, target, store, socket, finished, unread, lastStreamState}
    this.active = null;
    this.catalog = new Catalog(() => this.onCatalog(), (error) => this.error(`Catalogue: ${error}`));
    this.pending = [];
    this.paused = false;
    this.queued = 0;
    this.newBelow = 0;
    this.frameRequested = false;
    this.lastFlush = 0;
    this.searchHits = 0;
    this.loaded = false;
    this.bind();
  }

  get store() { return this.active ? this.active.store : this.empty; }
  get socket() { return this.active ? this.active.socket : null; }
  get target() { return this.active ? this.active.target : null; }

  bind() {
    $('log-namespace').addEventListener('change', () => {
      this.catalog.watch($('log-namespace').value);
      this.fillTargets();
    });
    $('log-target').addEventListener('change', () => {
      this.fillContainers();
      this.follow();
    });
    for (const id of ['log-container', 'log-since', 'log-previous']) $(id).addEventListener('change', () => this.follow());
    $('log-follow').addEventListener('click', () => this.follow(true));
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
    const option = (id, apply) => $(id).addEventListener('change', () => {
      apply($(id).checked);
      this.redraw();
    });
    option('log-timestamps', (on) => { this.view.showTimestamps = on; });
    option('log-prefix', (on) => { this.view.showSources = on; });
    option('log-json', (on) => { this.view.prettyJson = on; });
    $('log-jump').addEventListener('click', () => {
      this.view.scrollToEnd();
      this.setNewBelow(0);
    });
    $('log-view').addEventListener('scroll', () => {
      if (this.view.isAtEnd()) this.setNewBelow(0);
    });
    $('log-source-clear').addEventListener('click', () => this.filterSource(''));
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
      const namespaces = ((await get('/namespaces')) || []).map((ns) => ns.name);
      this.fillNamespaces(namespaces);
      this.error('');
      this.catalog.watch($('log-namespace').value);
    } catch (e) {
      this.loaded = false;
      this.error(`Cannot list namespaces: ${e.message}`);
    }
  }

  fillNamespaces(names) {
    const select = $('log-namespace');
    const previous = select.value;
    select.replaceChildren(...names.map((ns) => el('option', { value: ns, text: ns })));
    const preferred = [previous, 'demo', 'default'].find((n) => names.includes(n)) || names[0];
    if (preferred) select.value = preferred;
  }

  onCatalog() {
    if (this.catalog.namespaces.length) {
      const before = $('log-namespace').value;
      this.fillNamespaces(this.catalog.namespaces);
      if ($('log-namespace').value !== before) this.catalog.watch($('log-namespace').value);
    }
    this.fillTargets();
  }

  /** The pods, Jobs (with their image) and app= selectors of the watched namespace. */
  fillTargets() {
    const select = $('log-target');
    const previous = select.value;
    const options = [el('option', { value: '', text: '— choose —' })];
    for (const [app, n] of this.catalog.apps()) {
      options.push(el('option', { value: `selector:app=${app}`, text: `app=${app} (${n} pod${n === 1 ? '' : 's'})` }));
    }
    const pods = [...this.catalog.pods.values()].sort((a, b) => a.name.localeCompare(b.name));
    for (const p of pods) {
      const restarts = p.restarts ? `, ${p.restarts} restart${p.restarts === 1 ? '' : 's'}` : '';
      options.push(el('option', { value: `pod:${p.name}`, text: `${p.name} (${p.phase}${restarts})` }));
    }
    const jobs = [...this.catalog.jobs.values()].sort((a, b) => a.name.localeCompare(b.name));
    for (const j of jobs) {
      options.push(el('option', { value: `job:${j.name}`, text: `job ${j.name} · ${j.image || '?'} (${j.status})` }));
    }
    if (previous && !options.some((o) => o.value === previous)) {
      // Kept while it is followed (a pod that went, a target opened from a pull).
      options.push(el('option', { value: previous, text: previous.replace(':', ' ') }));
    }
    select.replaceChildren(...options);
    select.value = previous;
    this.fillContainers(true);
  }

  fillContainers(keep = false) {
    const [kind, name] = splitTarget($('log-target').value);
    let pods = [];
    if (kind === 'job') pods = [...this.catalog.pods.values()].filter((p) => p.job === name);
    else if (kind === 'pod') pods = [...this.catalog.pods.values()].filter((p) => p.name === name);
    else if (kind === 'selector') {
      const app = name.replace(/^app=/, '');
      pods = [...this.catalog.pods.values()].filter((p) => p.labels && p.labels.app === app);
    }
    const names = [];
    for (const pod of pods) {
      for (const c of [...(pod.init_containers || []), ...(pod.containers || [])]) {
        if (!names.some((n) => n.name === c.name)) names.push({ name: c.name, init: c.init, state: c.state });
      }
    }
    const select = $('log-container');
    const previous = select.value;
    select.replaceChildren(el('option', { value: '*', text: 'all containers' }), ...names.map((c) => el('option', {
      value: c.name, text: `${c.name}${c.init ? ' (init)' : ''}${c.state ? ` · ${c.state}` : ''}`,
    })));
    const main = names.filter((c) => !c.init);
    if (keep && [...select.options].some((o) => o.value === previous)) select.value = previous;
    else if (kind === 'pod' && main.length === 1) select.value = main[0].name;
    else select.value = '*';
  }

  /** Follows a pod or job directly (used by the pull details' "logs" link). */
  async open(namespace, kind, name, container) {
    await this.show();
    const nsSelect = $('log-namespace');
    if (![...nsSelect.options].some((o) => o.value === namespace)) nsSelect.append(el('option', { value: namespace, text: namespace }));
    nsSelect.value = namespace;
    this.catalog.watch(namespace);
    const target = $('log-target');
    const value = `${kind}:${name}`;
    if (![...target.options].some((o) => o.value === value)) target.append(el('option', { value, text: `${kind} ${name}` }));
    target.value = value;
    this.fillContainers();
    if (container) {
      const select = $('log-container');
      if (![...select.options].some((o) => o.value === container)) select.append(el('option', { value: container, text: container }));
      select.value = container;
    }
    this.follow();
  }

  chosenTarget() {
    const [kind, name] = splitTarget($('log-target').value);
    const namespace = $('log-namespace').value;
    if (!name || !namespace) return null;
    return {
      namespace, kind, name,
      container: $('log-container').value || '*',
      since: $('log-since').value,
      previous: $('log-previous').checked,
    };
  }

  /** Opens (or shows) the view of the chosen target; `restart` starts its stream again. */
  follow(restart = false) {
    const target = this.chosenTarget();
    if (!target) {
      if (restart) this.error('Choose a namespace and a pod, job or app first.');
      return;
    }
    this.error('');
    const key = JSON.stringify(target);
    let view = this.views.find((v) => v.key === key);
    if (view && restart) {
      this.closeView(view);
      view = null;
    }
    if (!view) {
      view = { key, target, store: new LogStore(), palette: new SourcePalette(), socket: null, finished: false, unread: 0, lastStreamState: '' };
      this.views.push(view);
      while (this.views.length > MAX_VIEWS) this.closeView(this.views.find((v) => v !== view));
      this.startStream(view);
    }
    this.switchTo(view);
  }

  startStream(view) {
    const t = view.target;
    const merged = isMerged(t);
    const tail = Math.max(1, Math.min(100000, Number($('log-tail').value) || 1000));
    const base = new URLSearchParams({ namespace: t.namespace, [t.kind]: t.name, tailLines: String(tail), timestamps: 'true' });
    base.set('container', t.container);
    if (t.since) base.set('sinceSeconds', t.since);
    if (t.previous) base.set('previous', 'true');
    view.socket = new ReconnectingSocket(() => {
      const params = new URLSearchParams(base);
      if (merged) {
        // Each source resumes where it stopped, in the stream its numbers count in.
        const resume = view.store.sourceResume();
        if (resume) params.set('resume', resume);
      } else if (view.store.nextSeq >= 0) {
        params.set('resume', String(view.store.nextSeq));
        // The stream that number counts in: if it has ended, the server says "restarted"
        // rather than taking the number as a line of a newer stream (docs/api.md).
        if (view.store.streamId) params.set('stream', view.store.streamId);
      }
      return `/ws/pod-logs?${params}`;
    }, {
      onOpen: (reconnected) => {
        if (reconnected) {
          if (!merged) view.store.expectReplay();
          this.addMarker(view, merged ? 'reconnected; every source resumes where it stopped' : `reconnected; resuming at line ${view.store.nextSeq}`, 'ok');
        }
      },
      onMessage: (m) => this.onMessage(view, m),
      onState: (state, detail) => this.onSocketState(view, state, detail),
      shouldReconnect: (event) => event.code !== 1000 && event.code !== 1008 && !view.finished,
    });
    view.socket.start();
  }

  closeView(view) {
    if (view.socket) view.socket.stop();
    view.socket = null;
    this.views = this.views.filter((v) => v !== view);
    if (this.active === view) this.switchTo(this.views[this.views.length - 1] || null);
    else this.renderSwitcher();
  }

  switchTo(view) {
    this.active = view;
    if (view) view.unread = 0;
    this.pending = [];
    this.queued = 0;
    this.setNewBelow(0);
    this.view.sourceFilter = '';
    this.view.palette = view ? view.palette : new SourcePalette();
    $('log-source').hidden = true;
    this.redraw();
    this.renderSwitcher();
    const running = Boolean(view && view.socket);
    $('log-stop').disabled = !running;
    $('log-pause').disabled = !running;
    this.setPaused(false);
    this.onSocketState(view, running ? 'open' : 'closed', '');
  }

  renderSwitcher() {
    const bar = $('log-views');
    bar.replaceChildren(...this.views.map((v) => {
      const t = v.target;
      const label = `${t.kind === 'selector' ? t.name : `${t.kind} ${t.name}`}${t.container === '*' ? '' : ` · ${t.container}`}${t.previous ? ' (previous)' : ''}`;
      const tab = el('button', { type: 'button', class: `view-tab${v === this.active ? ' active' : ''}`, title: `${t.namespace}/${label}`, text: label });
      tab.dataset.key = v.key;
      if (v.unread) tab.append(el('span', { class: 'unread', text: String(v.unread) }));
      tab.addEventListener('click', () => this.switchTo(v));
      const close = el('button', { type: 'button', class: 'view-close link small', title: 'close this view', text: '×' });
      close.addEventListener('click', () => this.closeView(v));
      return el('span', { class: 'view-tab-wrap' }, tab, close);
    }));
  }

  stop(reason) {
    const view = this.active;
    if (view && view.socket) {
      view.socket.stop();
      view.socket = null;
      if (reason) this.addMarker(view, reason, 'info');
    }
    $('log-stop').disabled = true;
    $('log-pause').disabled = true;
  }

  onSocketState(view, state, detail) {
    if (view !== this.active) return;
    const badge = $('log-state');
    if (!view) {
      badge.className = 'badge badge-idle';
      badge.textContent = 'idle';
    } else if (state === 'reconnecting') {
      badge.className = 'badge badge-warn';
      badge.textContent = 'reconnecting…';
      if (!view.reconnectShown) {
        view.reconnectShown = true;
        this.addMarker(view, `connection lost — reconnecting… (${detail})`, 'warn');
      }
      $('log-status').textContent = `Connection lost: ${detail}`;
    } else if (state === 'open') {
      view.reconnectShown = false;
      badge.className = 'badge badge-ok';
      badge.textContent = 'connected';
      $('log-status').textContent = detail === 'reconnected' ? 'Reconnected: the stream resumed where it stopped.' : '';
    } else if (state === 'closed') {
      badge.className = 'badge badge-idle';
      badge.textContent = view.finished ? 'ended' : 'stopped';
    } else {
      badge.className = 'badge badge-idle';
      badge.textContent = 'connecting…';
    }
  }

  onMessage(view, m) {
    switch (m.type) {
      case 'log': {
        const added = view.store.addFrame(m);
        if (view !== this.active) {
          view.unread += added.length;
          this.renderSwitcherSoon();
          break;
        }
        this.enqueue(added);
        if (this.view.search) this.countHits(added);
        break;
      }
      case 'gap': {
        // The server's stream numbers from 0 again (docs/api.md): follow the new numbers.
        if (m.restarted === true && m.pod) view.store.resetSource(`${m.pod}/${m.container}`, m.seq);
        else if (m.restarted === true) view.store.resetSequence(m.seq);
        const who = m.pod ? `${m.pod}/${m.container}: ` : '';
        this.addMarker(view, m.missed > 0 ? `${who}resumed, ${m.missed} lines missed${m.detail ? ` (${m.detail})` : ''}` : (m.detail || 'gap'), 'warn');
        break;
      }
      case 'stream': {
        // One container: its stream id says what the seq numbers count in. A merged view
        // numbers per source and resumes by time instead.
        if (typeof m.stream === 'string' && !isMerged(view.target)) view.store.setStream(m.stream);
        else if (typeof m.stream === 'string' && m.pod && m.container) view.store.setSourceStream(`${m.pod}/${m.container}`, m.stream);
        const said = m.pod ? describeSource(m) : describeSource({ ...m, pod: '' });
        if (view === this.active) $('log-status').textContent = said.text;
        if (m.state === 'ended' && !m.pod) view.finished = true;
        if (m.state !== 'streaming' || view.lastStreamState !== 'streaming' || m.pod) this.addMarker(view, said.text, said.level);
        view.lastStreamState = m.state;
        break;
      }
      case 'error':
        view.finished = true;
        if (view === this.active) this.error(m.error);
        this.addMarker(view, `error: ${m.error}`, 'error');
        break;
      default:
        break;
    }
  }

  renderSwitcherSoon() {
    if (this.switcherTimer) return;
    this.switcherTimer = setTimeout(() => {
      this.switcherTimer = null;
      this.renderSwitcher();
    }, 500);
  }

  addMarker(view, text, level) {
    const entry = view.store.marker(text, level);
    if (view === this.active) this.enqueue([entry]);
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
    // Scrolled up to read: stay there and count what arrives below.
    const follow = $('log-autoscroll').checked && (this.view.isAtEnd() || this.newBelow === 0 && this.view.rowCount() === 0);
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
    else this.setNewBelow(this.newBelow + batch.filter((e) => e.kind === 'line').length);
    this.updateSearchCount();
  }

  setNewBelow(n) {
    this.newBelow = n;
    const jump = $('log-jump');
    jump.hidden = n === 0;
    jump.textContent = `↓ ${n} new line${n === 1 ? '' : 's'}`;
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

  /** Only the lines of one source of a merged view ('' = all). */
  filterSource(source) {
    this.view.sourceFilter = source;
    $('log-source').hidden = !source;
    $('log-source-name').textContent = source;
    this.redraw();
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

  /** The shown view's lines only, as `<namespace>_<pod-or-job>_<container>_<UTC time>.log`. */
  download() {
    const t = this.target;
    const name = t ? saveName(t) : 'pullwatch.log';
    const blob = new Blob([this.store.toText(true)], { type: 'text/plain' });
    const url = URL.createObjectURL(blob);
    const a = el('a', { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
}

function isMerged(target) {
  return target.kind === 'selector' || target.container === '*';
}

function splitTarget(value) {
  const i = (value || '').indexOf(':');
  return i < 0 ? ['pod', ''] : [value.slice(0, i), value.slice(i + 1)];
}
