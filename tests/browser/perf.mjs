// The log view under a flood (responsive and flat memory at 10,000 lines/s):
// a pod logging 10,000 lines/s is followed for --seconds (default 60; 600 for the full ten
// minutes) and sampled every 5 s: lines received, DOM rows, JS heap, and the worst delay of
// a 50 ms timer in the page (event-loop responsiveness).
//
// node perf.mjs --pullwatch BIN --kubesim BIN [--seconds N] [--rate LINES_PER_S]
import { CHROMIUM, CHROMIUM_ARGS, Stack, fail, loadPlaywright, sleep } from './harness.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const pullwatch = option('pullwatch');
const kubesim = option('kubesim');
const seconds = Number(option('seconds', '60'));
const rate = Number(option('rate', '10000'));
if (!pullwatch || !kubesim) fail('usage: node perf.mjs --pullwatch BIN --kubesim BIN [--seconds N]');

const TOKEN = 'perf-token-9c4e2a7f1b3d5e8a0c6f2b4d7e9a1c3f';
const { chromium } = await loadPlaywright();
const stack = new Stack({ pullwatch, kubesim, token: TOKEN,
  scenario: { rules: [{ keyword: 'flood', outcome: 'chatty', linesPerSecond: rate }] } });
let browser;
try {
  await stack.startCluster();
  await stack.startPullwatch();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(stack.url);
  await page.fill('#login-token', TOKEN);
  await page.click('#login-submit');
  await page.waitForSelector('#app:not([hidden])');
  await page.fill('#pull-names', 'example/flood:1');
  await page.click('#pull-submit');
  const row = '#active-table tbody tr:has(td.image:text("flood:1"))';
  await page.waitForSelector(row);
  const job = await page.getAttribute(row, 'data-job-id');
  await page.click('#tab-logs');
  await page.waitForFunction(() => document.querySelector('#log-namespace').options.length > 0);
  await page.selectOption('#log-namespace', 'default');
  await page.waitForFunction((j) => [...document.querySelector('#log-target').options].some((o) => o.value === `job:${j}`), job, { timeout: 60000 });
  await page.selectOption('#log-target', `job:${job}`);
  await page.selectOption('#log-container', 'push-to-harbor');
  await page.fill('#log-tail', '10');
  await page.click('#log-follow');
  await page.waitForFunction(() => window.pullwatchStats().lines > 1000, null, { timeout: 120000 });
  await page.evaluate(() => {
    window.lagWorst = 0;
    let last = performance.now();
    setInterval(() => {
      const now = performance.now();
      window.lagWorst = Math.max(window.lagWorst, now - last - 50);
      last = now;
    }, 50);
  });
  const metric = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
  };
  const heap = async () => Math.round((await metric()).JSHeapUsedSize / 1048576 * 10) / 10;
  let prevMetrics = await metric();
  let prev = await page.evaluate(() => window.pullwatchStats());
  const samples = [];
  console.log('t_s  lines/s  dom_rows  stored  heap_MB  worst_lag_ms  click_ms  busy_%(script/layout/style)');
  for (let t = 5; t <= seconds; t += 5) {
    await sleep(5000);
    const s = await page.evaluate(() => ({ ...window.pullwatchStats(), lag: window.lagWorst }));
    await page.evaluate(() => { window.lagWorst = 0; });
    const clickStart = Date.now();
    await page.click('#log-pause');
    await page.waitForFunction(() => document.querySelector('#log-pause').textContent.startsWith('Resume'));
    await page.click('#log-pause');
    const clickMs = Date.now() - clickStart;
    const m = await metric();
    const busy = (k) => Math.round((m[k] - prevMetrics[k]) / 5 * 100);
    const cost = `${busy('TaskDuration')}(${busy('ScriptDuration')}/${busy('LayoutDuration')}/${busy('RecalcStyleDuration')})`;
    prevMetrics = m;
    const sample = { t, cost, rate: Math.round((s.lines - prev.lines) / 5), rows: s.rows, stored: s.stored,
      heap: await heap(), lag: Math.round(s.lag), clickMs };
    samples.push(sample);
    console.log(`${String(t).padStart(3)}  ${String(sample.rate).padStart(7)}  ${String(sample.rows).padStart(8)}  ${String(sample.stored).padStart(6)}  ${String(sample.heap).padStart(7)}  ${String(sample.lag).padStart(12)}  ${String(clickMs).padStart(8)}  ${cost}`);
    prev = s;
  }
  const avg = Math.round(samples.reduce((a, s) => a + s.rate, 0) / samples.length);
  const maxRows = Math.max(...samples.map((s) => s.rows));
  const heaps = samples.map((s) => s.heap);
  console.log(`average ${avg} lines/s; DOM rows ≤ ${maxRows}; heap ${Math.min(...heaps)}–${Math.max(...heaps)} MB; worst timer lag ${Math.max(...samples.map((s) => s.lag))} ms; pause/resume click ≤ ${Math.max(...samples.map((s) => s.clickMs))} ms`);
  await page.screenshot({ path: new URL('./artifacts/web-logs-flood.png', import.meta.url).pathname });
} finally {
  if (browser) await browser.close();
  await stack.stop();
}
