// ANSI SGR colours (ESC[…m) to spans, as the desktop log view does. The 16 basic colours
// are classes; 256-colour and true-colour values are set through the CSSOM (allowed by the
// Content-Security-Policy, unlike style attributes). Other escape sequences are dropped.

// eslint-disable-next-line no-control-regex
const ESCAPE = /\x1b\[([0-9;]*)([A-Za-z])|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f]/g;

function xterm256(n) {
  if (n < 16) return null;
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const i = n - 16;
  const level = (x) => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${level(Math.floor(i / 36))},${level(Math.floor(i / 6) % 6)},${level(i % 6)})`;
}

function applyCodes(state, codes) {
  const list = codes === '' ? [0] : codes.split(';').map((c) => Number(c) || 0);
  for (let i = 0; i < list.length; i += 1) {
    const c = list[i];
    if (c === 0) Object.assign(state, { fg: null, bg: null, bold: false, dim: false, italic: false, underline: false });
    else if (c === 1) state.bold = true;
    else if (c === 2) state.dim = true;
    else if (c === 3) state.italic = true;
    else if (c === 4) state.underline = true;
    else if (c === 22) { state.bold = false; state.dim = false; }
    else if (c === 23) state.italic = false;
    else if (c === 24) state.underline = false;
    else if (c >= 30 && c <= 37) state.fg = `c${c - 30}`;
    else if (c >= 90 && c <= 97) state.fg = `c${c - 90 + 8}`;
    else if (c === 39) state.fg = null;
    else if (c >= 40 && c <= 47) state.bg = `c${c - 40}`;
    else if (c >= 100 && c <= 107) state.bg = `c${c - 100 + 8}`;
    else if (c === 49) state.bg = null;
    else if ((c === 38 || c === 48) && list[i + 1] === 5) {
      const n = list[i + 2] ?? 0;
      const value = n < 16 ? `c${n}` : xterm256(n);
      if (c === 38) state.fg = value; else state.bg = value;
      i += 2;
    } else if ((c === 38 || c === 48) && list[i + 1] === 2) {
      const value = `rgb(${list[i + 2] ?? 0},${list[i + 3] ?? 0},${list[i + 4] ?? 0})`;
      if (c === 38) state.fg = value; else state.bg = value;
      i += 4;
    }
  }
}

function styledSpan(text, state) {
  const span = document.createElement('span');
  span.textContent = text;
  const classes = [];
  if (state.fg) {
    if (state.fg.startsWith('c')) classes.push(`ansi-fg-${state.fg.slice(1)}`);
    else span.style.color = state.fg;
  }
  if (state.bg) {
    if (state.bg.startsWith('c')) classes.push(`ansi-bg-${state.bg.slice(1)}`);
    else span.style.backgroundColor = state.bg;
  }
  if (state.bold) classes.push('ansi-bold');
  if (state.dim) classes.push('ansi-dim');
  if (state.italic) classes.push('ansi-italic');
  if (state.underline) classes.push('ansi-underline');
  if (classes.length) span.className = classes.join(' ');
  return span;
}

/** Text without any escape sequence (for search, filter and download). */
export function stripAnsi(text) {
  return text.indexOf('\x1b') < 0 && !/[\x00-\x08\x0b-\x1f\x7f]/.test(text) ? text : text.replace(ESCAPE, '');
}

/**
 * Appends `text` to `parent` as plain text or styled spans; `mark` (optional) is a function
 * that splits plain runs into highlighted parts.
 */
export function renderAnsi(parent, text, mark) {
  const put = (run, state) => {
    if (!run) return;
    if (mark) {
      for (const part of mark(run)) {
        const node = state ? styledSpan(part.text, state) : document.createTextNode(part.text);
        if (part.hit) {
          const m = document.createElement('mark');
          m.append(node);
          parent.append(m);
        } else parent.append(node);
      }
    } else if (state) parent.append(styledSpan(run, state));
    else parent.append(run);
  };
  if (text.indexOf('\x1b') < 0) {
    put(stripAnsi(text), null);
    return;
  }
  const state = { fg: null, bg: null, bold: false, dim: false, italic: false, underline: false };
  let last = 0;
  ESCAPE.lastIndex = 0;
  let match;
  const isPlain = () => !state.fg && !state.bg && !state.bold && !state.dim && !state.italic && !state.underline;
  while ((match = ESCAPE.exec(text)) !== null) {
    put(text.slice(last, match.index), isPlain() ? null : { ...state });
    if (match[2] === 'm') applyCodes(state, match[1]);
    last = ESCAPE.lastIndex;
  }
  put(text.slice(last), isPlain() ? null : { ...state });
}
