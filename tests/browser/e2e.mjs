// End-to-end tests of the web UI in Debian's headless Chromium, driven by playwright-core:
// log in, start a pull and see it complete, see a failed pull's reason, follow a
// chatty pod's logs with search and pause, survive a Pullwatch restart and resume without
// duplicate lines. Screenshots of each view go to tests/browser/artifacts/.
//
// node e2e.mjs --pullwatch BIN --kubesim BIN [--artifacts DIR]
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, CHROMIUM_ARGS, Stack, fail, loadPlaywright, sleep } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const pullwatch = option('pullwatch', process.env.PULLWATCH_BINARY);
const kubesim = option('kubesim', process.env.KUBESIM_BINARY);
const artifacts = option('artifacts', path.join(here, 'artifacts'));
if (!pullwatch || !kubesim) fail('usage: node e2e.mjs --pullwatch BIN --kubesim BIN');
mkdirSync(artifacts, { recursive: true });

const TOKEN = 'e2e-token-7f3c2a9d41b0c58e6a1f9d2b4c7e0a3f';
const results = [];

async function step(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true, ms: Date.now() - started });
    console.log(`PASS ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.push({ name, ok: false, ms: Date.now() - started, error: e });
    console.log(`FAIL ${name}: ${e.stack || e}`);
    throw e;
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: false });
}

/** seq=N numbers of the chatty lines on screen. */
async function shownSeqs(page) {
  return page.$$eval('#log-view .line:not(.marker)', (rows) => rows
    .map((r) => /seq=(\d+)/.exec(r.textContent))
    .filter(Boolean)
    .map((m) => Number(m[1])));
}

async function main() {
  const { chromium } = await loadPlaywright();
  const stack = new Stack({ pullwatch, kubesim, token: TOKEN });
  let browser;
  const consoleErrors = [];
  try {
    await stack.startCluster();
    await stack.startPullwatch();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const external = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(stack.url) && !r.url().startsWith(stack.url.replace('http', 'ws')) && !r.url().startsWith('blob:')
        && !r.url().startsWith('data:')) external.push(r.url());
    });
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));

    await step('login screen, wrong token refused, right token accepted', async () => {
      await page.goto(stack.url);
      await page.waitForSelector('#login-view:not([hidden])');
      await shot(page, 'web-login');
      await page.fill('#login-token', 'not-the-token');
      await page.click('#login-submit');
      await page.waitForFunction(() => document.querySelector('#login-error').textContent.includes('Wrong token'));
      await page.fill('#login-token', TOKEN);
      await page.click('#login-submit');
      await page.waitForSelector('#app:not([hidden])');
      await page.waitForFunction(() => document.querySelector('#connection').textContent === 'connected');
      const cookies = await context.cookies();
      const session = cookies.find((c) => c.name === 'pullwatch_session');
      assert(session && session.httpOnly && session.sameSite === 'Strict', `session cookie: ${JSON.stringify(session)}`);
      assert(!cookies.some((c) => c.value.includes(TOKEN)), 'the token itself is not stored in a cookie');
    });

    let chattyJob = '';
    await step('start a pull and see it complete', async () => {
      await page.fill('#pull-names', 'not a valid image!!');
      await page.click('#pull-submit');
      await page.waitForFunction(() => document.querySelector('#pull-problems').textContent.startsWith('line 1: '));
      await page.fill('#pull-names', 'docker.io/library/nginx:1.27\nexample/chatty:1');
      // The server's target rule, shown before anything starts (as written: prefix + the name).
      await page.waitForFunction(() => document.querySelector('#pull-preview').textContent
        .includes('docker.io/library/nginx:1.27 → will be copied to harbor.local/mirror/docker.io/library/nginx:1.27'));
      await page.click('#pull-submit');
      await page.waitForFunction(() => document.querySelector('#pull-feedback').textContent.startsWith('Started 2 pulls'));
      await page.waitForSelector('#active-table tbody tr:has(td.image:text("nginx:1.27"))', { timeout: 15000 });
      await shot(page, 'web-pulls-active');
      await page.waitForSelector('#active-table tbody tr[data-status="completed"]:has(td.image:text("nginx:1.27"))', { timeout: 120000 });
      const pct = await page.textContent('#active-table tbody tr[data-status="completed"] .pct');
      assert(pct === '100%', `completed at ${pct}`);
      chattyJob = await page.getAttribute('#active-table tbody tr:has(td.image:text("chatty:1"))', 'data-job-id');
      assert(chattyJob, 'the chatty pull is listed');
      await shot(page, 'web-pulls');
    });

    await step('see a failed pull and its reason', async () => {
      await page.fill('#pull-names', 'example/notfound:2');
      await page.click('#pull-submit');
      const row = '#failed-table tbody tr:has(td.image:text("notfound:2"))';
      await page.waitForSelector(row, { timeout: 120000 });
      const reason = await page.textContent(`${row} .reason`);
      assert(reason === 'ImageNotFound', `reason ${reason}`);
      await page.click(`${row} button:text("Details")`);
      await page.waitForSelector('#details:not([hidden])');
      await page.waitForFunction(() => document.querySelector('#details-fields').textContent.includes('ImageNotFound'));
      await shot(page, 'web-failed-details');
      // A server error message is shown as it is.
      await page.fill('#pull-names', 'nginx:1.27:extra');
      await page.click('#pull-submit');
      await page.waitForFunction(() => document.querySelector('#pull-feedback').classList.contains('error'));
    });

    await step('retry a failed pull and cancel an active one', async () => {
      const row = '#failed-table tbody tr:has(td.image:text("notfound:2"))';
      await page.click(`${row} button:text("Retry")`);
      await page.waitForFunction(() => document.querySelector('#pull-feedback').textContent.startsWith('Retrying'));
      await page.fill('#pull-names', 'example/slow:3');
      await page.click('#pull-submit');
      const active = '#active-table tbody tr[data-status]:has(td.image:text("slow:3"))';
      await page.waitForSelector(`${active} button:text("Cancel")`, { timeout: 15000 });
      await page.click(`${active} button:text("Cancel")`);
      await page.waitForFunction(() => document.querySelector('#pull-feedback').textContent.startsWith('Cancelled'));
      await page.waitForSelector('#failed-table tbody tr:has(td.image:text("slow:3")) .reason:text("Cancelled")', { timeout: 30000 });
    });

    await step("follow a chatty pod's logs with search and pause", async () => {
      await page.click('#tab-logs');
      await page.waitForFunction(() => document.querySelector('#log-namespace').options.length > 0);
      await page.selectOption('#log-namespace', 'default');
      await page.waitForFunction((job) => [...document.querySelector('#log-target').options].some((o) => o.value === `job:${job}`), chattyJob, { timeout: 30000 });
      await page.selectOption('#log-target', `job:${chattyJob}`);
      await page.selectOption('#log-container', 'push-to-harbor');
      await page.click('#log-follow');
      await page.waitForFunction(() => document.querySelectorAll('#log-view .line:not(.marker)').length > 100, null, { timeout: 60000 });
      await page.fill('#log-search', 'status=ok');
      await page.waitForSelector('#log-view mark');
      const count = await page.textContent('#log-search-count');
      assert(/^\d+ lines match/.test(count) && !count.startsWith('0 '), `search count "${count}"`);
      await page.click('#log-pause');
      const before = await shownSeqs(page);
      await sleep(1500);
      const during = await shownSeqs(page);
      assert(JSON.stringify(before) === JSON.stringify(during), 'paused view does not change');
      const label = await page.textContent('#log-pause');
      assert(/Resume \((\d+) new\)/.test(label) && !label.includes('(0 new)'), `pause label "${label}"`);
      await shot(page, 'web-logs-paused');
      await page.click('#log-pause');
      await page.waitForFunction((last) => {
        const rows = [...document.querySelectorAll('#log-view .line:not(.marker)')];
        const m = /seq=(\d+)/.exec(rows[rows.length - 1].textContent);
        return m && Number(m[1]) > last;
      }, Math.max(...during));
      await page.fill('#log-search', '');
      // Filter: only matching lines stay on screen; a bad regex is reported, not thrown.
      await page.fill('#log-filter', 'seq=1');
      await page.waitForFunction(() => {
        const rows = [...document.querySelectorAll('#log-view .line:not(.marker)')];
        return rows.length > 0 && rows.every((r) => r.textContent.includes('seq=1'));
      });
      await page.check('#log-filter-regex');
      await page.fill('#log-filter', 'seq=(');
      await page.waitForFunction(() => document.querySelector('#log-error').textContent.startsWith('Filter:'));
      await page.fill('#log-filter', 'seq=\\d*7 ');
      await page.waitForFunction(() => {
        const rows = [...document.querySelectorAll('#log-view .line:not(.marker)')];
        return rows.length > 0 && rows.every((r) => /seq=\d*7 /.test(r.textContent));
      });
      await page.fill('#log-filter', '');
      await page.uncheck('#log-filter-regex');
      // Download: the buffered lines, with their timestamps.
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#log-download')]);
      const file = await download.path();
      const text = (await import('node:fs')).readFileSync(file, 'utf8');
      assert(/^\d{4}-\d\d-\d\dT[^ ]+Z .*chatty seq=\d+/m.test(text), `download: ${text.slice(0, 200)}`);
      assert(/^default_[a-z0-9-]+_push-to-harbor_\d{4}-\d\d-\d\dT\d{6}Z\.log$/.test(download.suggestedFilename()), download.suggestedFilename());
      await page.check('#log-timestamps');
      await page.waitForSelector('#log-view .ts');
      await shot(page, 'web-logs');
    });

    await step('survive a server restart and resume without duplicate lines', async () => {
      const beforeSeqs = await shownSeqs(page);
      await stack.stopPullwatch();
      await page.waitForFunction(() => document.querySelector('#connection').textContent.startsWith('reconnecting'), null, { timeout: 15000 });
      await page.waitForFunction(() => document.querySelector('#log-view').textContent.includes('connection lost'));
      await shot(page, 'web-reconnecting');
      await sleep(1500);
      await stack.startPullwatch();
      await page.waitForFunction(() => document.querySelector('#log-view').textContent.includes('reconnected; resuming'), null, { timeout: 30000 });
      await page.waitForFunction(() => document.querySelector('#connection').textContent.match(/connected/));
      const last = Math.max(...beforeSeqs);
      await page.waitForFunction((n) => {
        const rows = [...document.querySelectorAll('#log-view .line:not(.marker)')];
        const m = rows.length && /seq=(\d+)/.exec(rows[rows.length - 1].textContent);
        return m && Number(m[1]) > n + 100;
      }, last, { timeout: 30000 });
      const seqs = await shownSeqs(page);
      const seen = new Set();
      const duplicates = seqs.filter((s) => (seen.has(s) ? true : (seen.add(s), false)));
      assert(duplicates.length === 0, `duplicate lines after the restart: ${duplicates.slice(0, 10).join(', ')}`);
      for (let i = 1; i < seqs.length; i += 1) assert(seqs[i] > seqs[i - 1], `lines out of order at ${seqs[i - 1]} → ${seqs[i]}`);
      let missing = 0;
      for (let i = 1; i < seqs.length; i += 1) missing += seqs[i] - seqs[i - 1] - 1;
      console.log(`  after the restart: ${seqs.length} lines shown, 0 duplicates, ${missing} missing (seq ${seqs[0]}..${seqs[seqs.length - 1]})`);
      await shot(page, 'web-logs-reconnected');
      // The session cookie survived the restart: the page did not fall back to the login.
      assert(await page.isHidden('#login-view'), 'still logged in after the restart');
    });

    await step('merged logs of app=batch-worker, a second target in its own view, each saved alone', async () => {
      const save = async () => {
        const [download] = await Promise.all([page.waitForEvent('download'), page.click('#log-download')]);
        return { name: download.suggestedFilename(), text: (await import('node:fs')).readFileSync(await download.path(), 'utf8') };
      };
      await page.selectOption('#log-namespace', 'demo');
      await page.waitForFunction(() => [...document.querySelector('#log-target').options].some((o) => o.value === 'selector:app=batch-worker'), null, { timeout: 15000 });
      await page.selectOption('#log-target', 'selector:app=batch-worker'); // follows at once, every container
      const sources = () => page.$$eval('#log-view .line .src', (spans) => [...new Set(spans.map((s) => s.textContent.split('/')[1]))].sort());
      await page.waitForFunction(() => {
        const names = new Set([...document.querySelectorAll('#log-view .line .src')].map((s) => s.textContent.split('/')[1]));
        return names.has('worker') && names.has('log-shipper');
      }, null, { timeout: 30000 });
      assert(JSON.stringify(await sources()) === JSON.stringify(['log-shipper', 'worker']), `sources ${await sources()}`);
      // Same source, same colour; click a prefix: only that source.
      const colours = await page.$$eval('#log-view .line .src', (spans) => {
        const by = {};
        for (const s of spans) (by[s.textContent] ??= new Set()).add(s.className);
        return Object.values(by).map((c) => c.size);
      });
      assert(colours.every((n) => n === 1), 'one colour per source');
      const distinct = await page.$$eval('#log-view .line .src', (spans) => new Set(spans.map((s) => s.className)).size);
      assert(distinct === 2, `the two sources have ${distinct} colours`);
      await page.click('#log-view .line .src:text-matches("/log-shipper$")');
      await page.waitForFunction(() => {
        const spans = [...document.querySelectorAll('#log-view .line .src')];
        return spans.length > 0 && spans.every((s) => s.textContent.endsWith('/log-shipper'));
      });
      assert(await page.isVisible('#log-source'), 'the source filter is shown');
      await page.click('#log-source-clear');
      await shot(page, 'web-logs-merged');
      // Another target: its own view, the first one kept with an unread count.
      const web = await page.$eval('#log-target', (s) => [...s.options].map((o) => o.value).find((v) => v.startsWith('pod:web-frontend-')));
      const views = await page.$$eval('#log-views .view-tab', (tabs) => tabs.length);
      await page.selectOption('#log-target', web);
      await page.waitForFunction((n) => document.querySelectorAll('#log-views .view-tab').length === n + 1, views);
      assert(await page.$eval('#log-views .view-tab.active', (t) => t.textContent.startsWith('pod web-frontend-')), 'the new view is shown');
      await page.waitForFunction(() => document.querySelector('#log-view').textContent.includes('HTTP/1.1'), null, { timeout: 15000 });
      assert(!(await page.textContent('#log-view')).includes('processed batch'), 'the web view shows only its own lines');
      const webFile = await save();
      assert(/^demo_web-frontend-[a-z0-9-]+_nginx_\d{4}-\d\d-\d\dT\d{6}Z\.log$/.test(webFile.name), webFile.name);
      assert(webFile.text.includes('HTTP/1.1') && !webFile.text.includes('processed batch'), `web file: ${webFile.text.slice(0, 200)}`);
      // The merged view, still followed behind, counts what arrived unread.
      await page.waitForFunction(() => [...document.querySelectorAll('#log-views .view-tab')]
        .some((t) => t.textContent.startsWith('app=batch-worker') && t.querySelector('.unread')), null, { timeout: 15000 });
      await page.click('#log-views .view-tab:text-matches("^app=batch-worker")');
      const mergedFile = await save();
      assert(/^demo_app=batch-worker_all_\d{4}-\d\d-\d\dT\d{6}Z\.log$/.test(mergedFile.name), mergedFile.name);
      assert(/\[batch-worker-[a-z0-9-]+\/worker\] .*processed batch/.test(mergedFile.text), `merged file: ${mergedFile.text.slice(0, 300)}`);
      assert(!mergedFile.text.includes('HTTP/1.1'), 'the merged file holds only its target');
    });

    await step('no external requests, no script errors', async () => {
      assert(external.length === 0, `external requests: ${external.join(', ')}`);
      const csp = consoleErrors.filter((e) => /Content Security Policy|Refused to/.test(e));
      assert(csp.length === 0, `CSP violations: ${csp.join('\n')}`);
      const uncaught = consoleErrors.filter((e) => !/WebSocket|Failed to load resource|ERR_CONNECTION_REFUSED|net::/.test(e));
      assert(uncaught.length === 0, `console errors: ${uncaught.join('\n')}`);
    });

    await step('logout returns to the login screen', async () => {
      await page.click('#tab-pulls');
      await page.click('#logout');
      await page.waitForSelector('#login-view:not([hidden])');
      const r = await page.evaluate(async () => (await fetch('/images/pull-active')).status);
      assert(r === 401, `after logout the API answers ${r}`);
    });
  } finally {
    if (browser) await browser.close();
    await stack.stop();
  }
}

main().then(() => {
  const total = results.reduce((a, r) => a + r.ms, 0);
  console.log(`all ${results.length} browser steps passed in ${(total / 1000).toFixed(1)} s; screenshots in ${artifacts}`);
  process.exit(0);
}, (e) => {
  console.error(`browser tests failed: ${e.message}`);
  process.exit(1);
});
