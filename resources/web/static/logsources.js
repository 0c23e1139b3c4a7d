// Pure helpers of the log viewer (no DOM): stable colours for the sources of a merged stream,
// the level of a line (plain words or a JSON "level" field), JSON pretty-printing on demand,
// and the file name a saved log gets.

export const SOURCE_COLOURS = 8; // .src-0 … .src-7 in style.css

/** A colour index for a source ("pod/container"), the same on every run and every page. */
export function sourceColour(source) {
  let h = 2166136261; // FNV-1a
  for (let i = 0; i < source.length; i += 1) {
    h ^= source.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h % SOURCE_COLOURS;
}

const WORD = /\b(FATAL|PANIC|CRIT(?:ICAL)?|ERROR|ERR|WARN(?:ING)?|INFO|DEBUG|TRACE)\b/i;
const JSON_LEVEL = /"(?:level|severity|lvl)"\s*:\s*"([A-Za-z]+)"/;
const KEY_LEVEL = /\blevel=([A-Za-z]+)/;

/**
 * Colours for the sources of one view: each source keeps the first one it gets, its hashed
 * colour unless another source of the view already has it (then the next free one).
 */
export class SourcePalette {
  constructor() {
    this.colours = new Map();
  }

  colour(source) {
    let c = this.colours.get(source);
    if (c !== undefined) return c;
    const used = new Set(this.colours.values());
    c = sourceColour(source);
    for (let i = 0; i < SOURCE_COLOURS && used.has(c); i += 1) c = (c + 1) % SOURCE_COLOURS;
    this.colours.set(source, c);
    return c;
  }
}

function normalise(word) {
  const w = word.toUpperCase();
  if (w.startsWith('FATAL') || w.startsWith('PANIC') || w.startsWith('CRIT') || w.startsWith('ERR')) return 'error';
  if (w.startsWith('WARN')) return 'warn';
  if (w === 'INFO' || w === 'NOTICE') return 'info';
  if (w === 'DEBUG' || w === 'TRACE') return 'debug';
  return '';
}

/** 'error' | 'warn' | 'info' | 'debug' | '' for a line's text. */
export function levelOf(text) {
  const json = JSON_LEVEL.exec(text) || KEY_LEVEL.exec(text);
  if (json) return normalise(json[1]);
  const m = WORD.exec(text.slice(0, 200));
  return m ? normalise(m[1]) : '';
}

/** The line indented when it is a JSON object or array, else null. */
export function prettyJson(text) {
  const t = text.trim();
  if (!(t.startsWith('{') && t.endsWith('}')) && !(t.startsWith('[') && t.endsWith(']'))) return null;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return null;
  }
}

function safe(part) {
  return String(part || '').replace(/[^A-Za-z0-9._=-]+/g, '-').replace(/^-+|-+$/g, '') || 'all';
}

/**
 * `<namespace>_<pod-or-job>_<container>_<UTC time>.log`: a selector stands for the pod
 * part, `*` (every container) is written "all".
 */
export function saveName(target, date = new Date()) {
  const when = date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '');
  const container = !target.container || target.container === '*' ? 'all' : target.container;
  return `${safe(target.namespace)}_${safe(target.name)}_${safe(container)}_${when}.log`;
}

/** What a "stream" message about one source says happened, and how it reads (ok|info|warn|error). */
export function describeSource(m) {
  const who = m.container ? `${m.pod}/${m.container}` : (m.pod || '');
  const detail = m.detail || '';
  if (!who && m.state !== 'ended') return { text: detail || m.state, level: m.state === 'streaming' ? 'ok' : 'info' };
  if (m.state === 'streaming') return { text: `${who}: following`, level: 'ok' };
  if (m.state === 'reconnecting') return { text: `${who}: reconnecting… (${detail})`, level: 'warn' };
  if (m.state === 'waiting') return { text: `${who ? `${who}: ` : ''}waiting — ${detail}`, level: 'info' };
  if (m.state === 'limited') return { text: `${who}: not followed — ${detail}`, level: 'warn' };
  if (m.state === 'ended') {
    if (/deleted/.test(detail)) return { text: `${who}: pod deleted`, level: 'info' };
    const code = /exit(?:ed)?(?: with)? code (\d+)|\(exit (\d+)\)|code (\d+)/i.exec(detail);
    const n = code ? Number(code[1] ?? code[2] ?? code[3]) : null;
    if (n !== null) return { text: `${who}: container exited (code ${n})`, level: n === 0 ? 'info' : 'error' };
    return { text: `${who ? `${who}: ` : ''}ended${detail ? ` — ${detail}` : ''}`, level: 'info' };
  }
  return { text: `${who}: ${m.state}${detail ? ` — ${detail}` : ''}`, level: 'info' };
}
