// The lines of one log session, in a bounded ring (nothing grows without a limit), with the
// bookkeeping that makes resuming exact: the next sequence number expected from the server and
// the id of the server stream it counts in (docs/api.md), and — after a reconnect — the
// timestamp rule that drops lines already shown (docs/architecture.md §2).

export const MAX_ENTRIES = 100000;

// RFC 3339 timestamp at the start of a line, as the server sends with timestamps=true:
// seconds, an optional fraction, the zone.
const TIMESTAMP = /^((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)) /;

// The last whole second parsed: a flood has many lines per second, Date.parse runs once each.
let lastSecond = '';
let lastSecondMs = NaN;

function parseTimestamp(line) {
  const m = TIMESTAMP.exec(line);
  if (!m) return null;
  const second = m[2] + m[4];
  if (second !== lastSecond) {
    lastSecond = second;
    lastSecondMs = Date.parse(second);
  }
  const ms = lastSecondMs;
  if (Number.isNaN(ms)) return null;
  // RFC3339Nano drops the fraction's trailing zeros ("05.5Z", "05Z"): as text, "05.5Z" sorts
  // after "05.123456789Z" and "05Z" after "05.1Z". Seconds and nanoseconds (the fraction
  // padded to nine digits) compare in time order, as the desktop client does.
  const time = { s: ms / 1000, ns: Number((m[3] || '').slice(0, 9).padEnd(9, '0')) };
  return { raw: m[1], length: m[0].length, time };
}

/** The time of an RFC 3339 timestamp as {s, ns}, or null when it is not one. */
export function timeOf(ts) {
  const p = parseTimestamp(`${ts} `);
  return p && p.length === ts.length + 1 ? p.time : null;
}

/** <0, 0 or >0 as time a is before, at or after time b ({s, ns} from timeOf). */
export function compareTimes(a, b) {
  return a.s !== b.s ? a.s - b.s : a.ns - b.ns;
}

export class LogStore {
  constructor(max = MAX_ENTRIES) {
    this.max = max;
    this.entries = [];
    this.nextSeq = -1; // the seq of the next line wanted; -1 before the first frame
    this.streamId = ''; // the server stream nextSeq counts in; '' before its first "stream"
    this.lastTs = '';
    this.lastTime = null; // lastTs as {s, ns}
    this.lastTsTexts = new Set(); // texts already seen at lastTime
    this.dedupeByTime = false; // set after a reconnect until a newer line arrives
    this.lineCount = 0;
    this.duplicatesDropped = 0;
    this.dropped = 0; // entries that fell out of the ring
    this.sources = new Map(); // merged streams: "pod/container" → {stream, next}
  }

  /** A merged stream's "stream" message about one source: its seq numbers count in `id`. */
  setSourceStream(source, id) {
    const s = this.sources.get(source);
    if (s && s.stream === id) return;
    this.sources.set(source, { stream: id, next: -1 });
  }

  /** A merged stream's gap with "restarted": that source numbers from `seq` again. */
  resetSource(source, seq) {
    const s = this.sources.get(source);
    if (s) s.next = Number.isInteger(seq) ? seq : -1;
  }

  /** resume= for a merged stream: POD/CONTAINER:STREAM:SEQ for each source with lines. */
  sourceResume() {
    const out = [];
    for (const [source, s] of this.sources) if (s.stream && s.next >= 0) out.push(`${source}:${s.stream}:${s.next}`);
    return out.join(',');
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

  /**
   * The id in a "stream" message: the seq numbers that follow are that stream's. Another id
   * than before (the next container or pod of a job, a restart) numbers from its own start,
   * so the old next seq means nothing there. Returns whether it changed.
   */
  setStream(id) {
    if (typeof id !== 'string' || id === this.streamId) return false;
    this.streamId = id;
    this.nextSeq = -1;
    return true;
  }

  /**
   * A frame {seq, data, lines}; returns the new entries (duplicates removed). A frame of a
   * merged stream also names its pod and container: its seq counts in that source's stream,
   * so only the timestamp rule applies (after a reconnect), and its lines carry the source.
   */
  addFrame(frame) {
    const added = [];
    const source = typeof frame.pod === 'string' ? `${frame.pod}/${frame.container}` : '';
    const bySource = source ? this.sources.get(source) : null;
    const texts = String(frame.data ?? '').split('\n');
    if (texts.length && texts[texts.length - 1] === '') texts.pop();
    const first = Number(frame.seq ?? 0);
    for (let i = 0; i < texts.length; i += 1) {
      const seq = first + i;
      const next = source ? (bySource ? bySource.next : -1) : this.nextSeq;
      if (next >= 0 && seq < next && !(this.dedupeByTime && !source)) {
        this.duplicatesDropped += 1;
        continue;
      }
      const raw = texts[i];
      const p = parseTimestamp(raw);
      const ts = p ? p.raw : '';
      const text = p ? raw.slice(p.length) : raw;
      const order = p && this.lastTime ? compareTimes(p.time, this.lastTime) : 1;
      if (this.dedupeByTime && p) {
        if (order < 0 || (order === 0 && this.lastTsTexts.has(text))) {
          this.duplicatesDropped += 1;
          continue;
        }
        if (order > 0) this.dedupeByTime = false;
      }
      if (p && order !== 0) {
        this.lastTs = ts;
        this.lastTime = p.time;
        this.lastTsTexts = new Set();
      }
      if (p) this.lastTsTexts.add(text);
      const entry = source ? { kind: 'line', seq, ts, text, source } : { kind: 'line', seq, ts, text };
      this.push(entry);
      added.push(entry);
      this.lineCount += 1;
    }
    if (!source) this.nextSeq = Math.max(this.nextSeq, first + texts.length);
    else if (bySource) bySource.next = Math.max(bySource.next, first + texts.length);
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
      if (e.kind === 'line') {
        const prefix = e.source ? `[${e.source}] ` : '';
        out.push(withTimestamps && e.ts ? `${e.ts} ${prefix}${e.text}` : `${prefix}${e.text}`);
      }
      else out.push(`# ${e.text}`);
    }
    return out.join('\n') + (out.length ? '\n' : '');
  }
}
