// The lines of one log session, in a bounded ring (nothing grows without a limit), with the
// bookkeeping that makes resuming exact: the next sequence number expected from the server,
// and — after a reconnect — the timestamp rule that drops lines already shown (DESIGN.md §2).

export const MAX_ENTRIES = 100000;

// RFC 3339 timestamp at the start of a line, as the server sends with timestamps=true.
const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) /;

export class LogStore {
  constructor(max = MAX_ENTRIES) {
    this.max = max;
    this.entries = [];
    this.nextSeq = -1; // the seq of the next line wanted; -1 before the first frame
    this.lastTs = '';
    this.lastTsTexts = new Set(); // texts already seen at lastTs
    this.dedupeByTime = false; // set after a reconnect until a newer line arrives
    this.lineCount = 0;
    this.duplicatesDropped = 0;
    this.dropped = 0; // entries that fell out of the ring
  }

  clear() {
    this.entries = [];
    this.lineCount = 0;
  }

  push(entry) {
    this.entries.push(entry);
    if (this.entries.length > this.max + this.max / 10) {
      const extra = this.entries.length - this.max;
      this.entries.splice(0, extra);
      this.dropped += extra;
    }
  }

  marker(text, level = 'info') {
    const entry = { kind: 'marker', level, text, time: new Date().toISOString() };
    this.push(entry);
    return entry;
  }

  /** After a reconnect: lines at or before the last timestamp shown are duplicates. */
  expectReplay() {
    if (this.lastTs) this.dedupeByTime = true;
  }

  /** A frame {seq, data, lines}; returns the new entries (duplicates removed). */
  addFrame(frame) {
    const added = [];
    const texts = String(frame.data ?? '').split('\n');
    if (texts.length && texts[texts.length - 1] === '') texts.pop();
    const first = Number(frame.seq ?? 0);
    for (let i = 0; i < texts.length; i += 1) {
      const seq = first + i;
      if (this.nextSeq >= 0 && seq < this.nextSeq && !this.dedupeByTime) {
        this.duplicatesDropped += 1;
        continue;
      }
      const raw = texts[i];
      const m = TIMESTAMP.exec(raw);
      const ts = m ? m[1] : '';
      const text = m ? raw.slice(m[0].length) : raw;
      if (this.dedupeByTime && ts) {
        if (ts < this.lastTs || (ts === this.lastTs && this.lastTsTexts.has(text))) {
          this.duplicatesDropped += 1;
          continue;
        }
        if (ts > this.lastTs) this.dedupeByTime = false;
      }
      if (ts && ts !== this.lastTs) {
        this.lastTs = ts;
        this.lastTsTexts = new Set();
      }
      if (ts) this.lastTsTexts.add(text);
      const entry = { kind: 'line', seq, ts, text };
      this.push(entry);
      added.push(entry);
      this.lineCount += 1;
    }
    this.nextSeq = Math.max(this.nextSeq, first + texts.length);
    return added;
  }

  /**
   * The stream restarted its numbering (a gap with "restarted"): follow the new numbers from
   * `seq` (the gap's; -1 or absent: from the next frame), lines replayed from before the last
   * one shown are dropped by timestamp.
   */
  resetSequence(seq = -1) {
    this.nextSeq = Number.isInteger(seq) && seq >= 0 ? seq : -1;
    this.expectReplay();
  }

  toText(withTimestamps) {
    const out = [];
    for (const e of this.entries) {
      if (e.kind === 'line') out.push(withTimestamps && e.ts ? `${e.ts} ${e.text}` : e.text);
      else out.push(`# ${e.text}`);
    }
    return out.join('\n') + (out.length ? '\n' : '');
  }
}
