// Unit tests of the web UI's pure modules in Node (no browser): the log store's resume
// bookkeeping (no duplicate after a reconnect or a server restart), its bound, and ANSI
// stripping.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stripAnsi } from '../../resources/web/static/ansi.js';
import { LogStore } from '../../resources/web/static/logstore.js';

const ts = (n) => `2026-11-27T10:00:${String(Math.floor(n / 1000)).padStart(2, '0')}.${String(n % 1000).padStart(3, '0')}000000Z`;
const frame = (first, count) => ({
  type: 'log', seq: first, lines: count,
  data: Array.from({ length: count }, (_, i) => `${ts(first + i)} line seq=${first + i}\n`).join(''),
});
const seqs = (store) => store.entries.filter((e) => e.kind === 'line').map((e) => Number(/seq=(\d+)/.exec(e.text)[1]));

test('frames in order are kept whole, timestamps split off', () => {
  const s = new LogStore();
  s.addFrame(frame(0, 3));
  s.addFrame(frame(3, 2));
  assert.deepEqual(seqs(s), [0, 1, 2, 3, 4]);
  assert.equal(s.nextSeq, 5);
  assert.equal(s.entries[0].ts, ts(0));
  assert.equal(s.entries[0].text, 'line seq=0');
});

test('a resume that replays lines already shown drops them by seq', () => {
  const s = new LogStore();
  s.addFrame(frame(0, 10));
  s.addFrame(frame(5, 10));
  assert.deepEqual(seqs(s), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  assert.equal(s.duplicatesDropped, 5);
});

test('after a server restart the numbering restarts: duplicates dropped by timestamp', () => {
  const s = new LogStore();
  s.addFrame(frame(100, 50)); // lines 100..149 under the old server's numbers
  s.resetSequence(); // gap: "resume=150 is not in this stream (it restarted at 0)"
  // The new server's stream starts with a tail that overlaps what was shown.
  const replay = frame(0, 0);
  replay.data = Array.from({ length: 80 }, (_, i) => `${ts(120 + i)} line seq=${120 + i}\n`).join('');
  replay.lines = 80;
  s.addFrame(replay);
  assert.deepEqual(seqs(s), Array.from({ length: 100 }, (_, i) => 100 + i));
});

test('a gap with "restarted" and seq: the new numbers are followed from seq', () => {
  const s = new LogStore();
  s.addFrame(frame(1000, 50)); // the old stream's numbers
  s.resetSequence(0); // {"type":"gap","missed":0,"restarted":true,"seq":0,…}
  assert.equal(s.nextSeq, 0);
  // The new stream: a tail overlapping what was shown (dropped by timestamp), then new lines.
  const tail = { seq: 0, lines: 30, data: Array.from({ length: 30 }, (_, i) => `${ts(1030 + i)} line seq=${1030 + i}\n`).join('') };
  s.addFrame(tail);
  assert.deepEqual(seqs(s), Array.from({ length: 60 }, (_, i) => 1000 + i));
  assert.equal(s.nextSeq, 30);
  assert.equal(s.duplicatesDropped, 20);
});

test('a reconnect to a stream with other numbers is still deduplicated by timestamp', () => {
  const s = new LogStore();
  s.addFrame(frame(0, 20));
  s.expectReplay();
  const other = { seq: 500, lines: 15, data: Array.from({ length: 15 }, (_, i) => `${ts(10 + i)} line seq=${10 + i}\n`).join('') };
  s.addFrame(other);
  assert.deepEqual(seqs(s), Array.from({ length: 25 }, (_, i) => i));
});

test('lines sharing a timestamp are not lost', () => {
  const s = new LogStore();
  s.addFrame({ seq: 0, lines: 2, data: `${ts(1)} a\n${ts(1)} b\n` });
  s.expectReplay();
  s.addFrame({ seq: 0, lines: 3, data: `${ts(1)} a\n${ts(1)} b\n${ts(1)} c\n` });
  assert.deepEqual(s.entries.map((e) => e.text), ['a', 'b', 'c']);
});

test('the store is bounded', () => {
  const s = new LogStore(1000);
  for (let i = 0; i < 50; i += 1) s.addFrame(frame(i * 100, 100));
  assert.ok(s.entries.length <= 1100, `${s.entries.length} entries`);
  assert.equal(seqs(s).at(-1), 4999);
  assert.ok(s.dropped >= 3900);
});

test('ANSI escapes are stripped for search, filter and download', () => {
  assert.equal(stripAnsi('\x1b[31mred\x1b[0m and \x1b[1;38;5;208mbold\x1b[m'), 'red and bold');
  assert.equal(stripAnsi('plain'), 'plain');
  assert.equal(stripAnsi('bell\x07 and \x1b]0;title\x07'), 'bell and 0;title');
});
