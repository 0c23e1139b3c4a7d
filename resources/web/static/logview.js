// The log lines on screen. The DOM is capped at MAX_ROWS rows (the older ones stay in the
// LogStore for filtering and download): appending is batched once per animation frame, so
// the page stays responsive at 10,000 lines/s.

import { renderAnsi, stripAnsi } from './ansi.js';
import { levelOf, prettyJson, SourcePalette } from './logsources.js';

export const MAX_ROWS = 3000;

export class LogView {
  /** onSource(source) is called when a line's source prefix is clicked. */
  constructor(container, onSource = () => {}) {
    this.container = container;
    this.onSource = onSource;
    this.showSources = true; // the pod/container prefix of a merged stream's lines
    this.prettyJson = false;
    this.sourceFilter = ''; // only this source's lines ('' = all)
    this.palette = new SourcePalette(); // the shown view's (LogsPage sets it per view)
    this.filter = null; // (plainText) => boolean
    this.search = ''; // lowercase
    this.showTimestamps = false;
    this.currentMatch = -1;
  }

  setSearch(term) {
    this.search = term.toLowerCase();
    this.currentMatch = -1;
  }

  matches(entry) {
    if (entry.kind !== 'line') return true;
    if (this.sourceFilter && entry.source !== this.sourceFilter) return false;
    if (!this.filter) return true;
    return this.filter(stripAnsi(entry.text));
  }

  markFn() {
    if (!this.search) return undefined;
    const term = this.search;
    return (run) => {
      const parts = [];
      const lower = run.toLowerCase();
      let at = 0;
      for (let i = lower.indexOf(term); i >= 0; i = lower.indexOf(term, i + term.length)) {
        if (i > at) parts.push({ text: run.slice(at, i), hit: false });
        parts.push({ text: run.slice(i, i + term.length), hit: true });
        at = i + term.length;
      }
      if (at < run.length) parts.push({ text: run.slice(at), hit: false });
      return parts;
    };
  }

  row(entry, mark) {
    const div = document.createElement('div');
    if (entry.kind === 'marker') {
      div.className = `line marker marker-${entry.level}`;
      div.textContent = `── ${entry.text} ──`;
      return div;
    }
    if (entry.level === undefined) entry.level = levelOf(entry.text);
    div.className = entry.level ? `line lvl-${entry.level}` : 'line';
    if (this.showTimestamps && entry.ts) {
      const ts = document.createElement('span');
      ts.className = 'ts';
      ts.textContent = entry.ts;
      div.append(ts);
    }
    if (entry.source && this.showSources) {
      const src = document.createElement('span');
      src.className = `src src-${this.palette.colour(entry.source)}`;
      src.textContent = entry.source;
      src.title = `only ${entry.source}`;
      src.addEventListener('click', () => this.onSource(entry.source));
      div.append(src);
    }
    const pretty = this.prettyJson ? prettyJson(entry.text) : null;
    if (pretty) div.classList.add('json');
    renderAnsi(div, pretty ?? entry.text, mark);
    return div;
  }

  /** Appends entries (already in order) and trims the oldest rows. */
  append(entries) {
    const wanted = entries.filter((e) => this.matches(e));
    const slice = wanted.length > MAX_ROWS ? wanted.slice(wanted.length - MAX_ROWS) : wanted;
    if (!slice.length) return;
    const mark = this.markFn();
    const fragment = document.createDocumentFragment();
    for (const entry of slice) fragment.append(this.row(entry, mark));
    if (slice.length >= MAX_ROWS) this.container.replaceChildren();
    this.container.append(fragment);
    let excess = this.container.childElementCount - MAX_ROWS;
    while (excess-- > 0) this.container.firstElementChild.remove();
  }

  /** Redraws from the store's tail (after a filter, search, pause or option change). */
  rebuild(storeEntries) {
    const picked = [];
    for (let i = storeEntries.length - 1; i >= 0 && picked.length < MAX_ROWS; i -= 1) {
      if (this.matches(storeEntries[i])) picked.push(storeEntries[i]);
    }
    picked.reverse();
    this.container.replaceChildren();
    this.append(picked);
  }

  rowCount() {
    return this.container.childElementCount;
  }

  scrollToEnd() {
    this.container.scrollTop = this.container.scrollHeight;
  }

  isAtEnd() {
    const c = this.container;
    return c.scrollHeight - c.scrollTop - c.clientHeight < 40;
  }

  /** Moves to the next (+1) or previous (-1) highlighted match; returns [index, total]. */
  step(direction) {
    const marks = this.container.querySelectorAll('mark');
    if (!marks.length) return [0, 0];
    const old = this.container.querySelector('mark.current');
    if (old) old.classList.remove('current');
    this.currentMatch = (this.currentMatch + direction + marks.length) % marks.length;
    const mark = marks[this.currentMatch];
    mark.classList.add('current');
    mark.scrollIntoView({ block: 'center' });
    return [this.currentMatch + 1, marks.length];
  }
}
