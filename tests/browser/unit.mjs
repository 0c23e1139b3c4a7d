// Unit tests of the web UI's pure modules in Node (no browser): the log store's resume
// bookkeeping (no duplicate after a reconnect or a server restart, timestamps compared as
// times, numbers followed per server stream), its bound, and ANSI stripping.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stripAnsi } from '../../resources/web/static/ansi.js';
import { LogStore, compareTimes, timeOf } from '../../resources/web/static/logstore.js';
import { ReconnectingSocket } from '../../resources/web/static/socket.js';

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

// A kubelet's RFC3339Nano drops the fraction's trailing zeros, and the whole fraction at a
// whole second: as text, "05Z" sorts after "05.1Z" and "05.5Z" after "05.50001Z".
const order = (a, b) => Math.sign(compareTimes(timeOf(a), timeOf(b)));
const orderRows = [
  ['trimmed fraction after a full one', '2026-11-27T10:00:05.5Z', '2026-11-27T10:00:05.123456789Z', 1],
  ['whole second before its fraction', '2026-11-27T10:00:05Z', '2026-11-27T10:00:05.1Z', -1],
  ['shorter fraction before a longer later one', '2026-11-27T10:00:05.5Z', '2026-11-27T10:00:05.50001Z', -1],
  ['same instant, other spelling', '2026-11-27T10:00:05.5Z', '2026-11-27T10:00:05.500000000Z', 0],
  ['whole second equals zero fraction', '2026-11-27T10:00:05Z', '2026-11-27T10:00:05.000Z', 0],
  ['seconds decide before the fraction', '2026-11-27T10:00:04.999999999Z', '2026-11-27T10:00:05Z', -1],
  ['across a minute', '2026-11-27T10:00:59.9Z', '2026-11-27T10:01:00Z', -1],
  ['an offset is a zone', '2026-11-27T12:00:05.2+02:00', '2026-11-27T10:00:05.1Z', 1],
];
for (const [name, a, b, expected] of orderRows) {
  test(`timestamps compare as times: ${name}`, () => {
    assert.equal(order(a, b), expected);
    assert.equal(order(b, a), -expected || 0);
  });
}

test('not a timestamp: no time', () => {
  assert.equal(timeOf('yesterday'), null);
  assert.equal(timeOf('2026-11-27T10:00:05.5'), null); // no zone
  assert.equal(timeOf('2026-11-27 10:00:05Z'), null);
});

test('after a restart, replayed lines are told from new ones by time, not by text order', () => {
  const s = new LogStore();
  const line = (t, text) => `2026-11-27T10:00:${t} ${text}\n`;
  s.addFrame({ seq: 0, lines: 3, data: line('04.9Z', 'a') + line('05Z', 'b') + line('05.5Z', 'c') });
  s.resetSequence(0); // {"type":"gap","restarted":true,"seq":0}
  // The new stream replays b and c (c spelled with zeros), then goes on just after c.
  const replay = line('05Z', 'b') + line('05.500Z', 'c') + line('05.50001Z', 'd') + line('05.6Z', 'e');
  s.addFrame({ seq: 0, lines: 4, data: replay });
  assert.deepEqual(s.entries.map((e) => e.text), ['a', 'b', 'c', 'd', 'e']);
  assert.equal(s.duplicatesDropped, 2);
  assert.equal(s.entries[3].ts, '2026-11-27T10:00:05.50001Z'); // shown as sent
});

test('a whole second after its fractions is not taken for a replay', () => {
  const s = new LogStore();
  const line = (t, text) => `2026-11-27T10:00:${t} ${text}\n`;
  s.addFrame({ seq: 0, lines: 2, data: line('05Z', 'a') + line('05.9Z', 'b') });
  s.expectReplay(); // a reconnect
  s.addFrame({ seq: 2, lines: 2, data: line('05.9Z', 'b') + line('06Z', 'c') });
  assert.deepEqual(s.entries.map((e) => e.text), ['a', 'b', 'c']);
  s.expectReplay();
  s.addFrame({ seq: 3, lines: 1, data: line('06.1Z', 'd') });
  assert.deepEqual(s.entries.map((e) => e.text), ['a', 'b', 'c', 'd']);
});

test('numbers belong to a stream: a new stream id starts them over, resume names the stream', () => {
  const s = new LogStore();
  assert.equal(s.setStream('0000aaaa'), true);
  s.addFrame(frame(0, 10));
  assert.equal(s.setStream('0000aaaa'), false); // the same stream again (a resume into it)
  assert.equal(s.nextSeq, 10);
  // The job's next pod: another stream numbered from 0; none of its lines is "already had".
  assert.equal(s.setStream('0000bbbb'), true);
  assert.equal(s.streamId, '0000bbbb');
  assert.equal(s.nextSeq, -1);
  s.addFrame({ seq: 0, lines: 5, data: Array.from({ length: 5 }, (_, i) => `${ts(10 + i)} line seq=${10 + i}\n`).join('') });
  assert.deepEqual(seqs(s), Array.from({ length: 15 }, (_, i) => i));
  assert.equal(s.nextSeq, 5);
  assert.equal(s.duplicatesDropped, 0);
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

// docs/api.md "Protocol versions": without the subprotocol the server speaks the original's
// protocol (no acks, stream states or gaps), which the web UI does not read.
test('every socket of the web UI asks for pullwatch.v2', () => {
  const opened = [];
  const saved = { WebSocket: globalThis.WebSocket, location: globalThis.location };
  globalThis.location = { protocol: 'https:', host: 'pullwatch.example:8443' };
  globalThis.WebSocket = class {
    constructor(url, protocols) {
      opened.push({ url, protocols });
    }
    close() {}
  };
  try {
    const socket = new ReconnectingSocket(() => '/ws/image-pull-all', {});
    socket.start();
    socket.stop();
  } finally {
    globalThis.WebSocket = saved.WebSocket;
    globalThis.location = saved.location;
  }
  assert.deepEqual(opened, [
    { url: 'wss://pullwatch.example:8443/ws/image-pull-all', protocols: ['pullwatch.v2'] },
  ]);
});
