// A person's first hour with the web UI, in Debian's headless Chromium (playwright-core):
// the pull form says what is wrong with a line in the server's words (the desktop's), counts
// what was typed, and lets nothing bad through; headings count the rows shown; relative
// times tick; a failed pull's details lead with its cause; every pull row leads to its logs
// (double-click) and has a context menu (View logs, Retry, Cancel, Copy image, Copy Harbor
// target); at 360 px the tables become cards that stay inside the page; Help is served by
// the binary.
//
// node firstuse.mjs --pullwatch BIN --kubesim BIN [--artifacts DIR]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, CHROMIUM_ARGS, Stack, loadPlaywright, scriptOptions } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { pullwatch, kubesim, artifacts } = scriptOptions('firstuse.mjs', path.join(here, 'artifacts'));

const TOKEN = 'firstuse-token-5d1e09a7c3';
let passed = 0;

async function step(name, fn) {
  const started = Date.now();
  try {
    await fn();
    passed += 1;
    console.log(`PASS ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    console.log(`FAIL ${name}: ${e.stack || e}`);
    throw e;
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** The heading's "(N)" and the rows under it. */
async function countAndRows(page, table, count) {
  return page.evaluate(([t, c]) => ({
    heading: document.getElementById(c).textContent,
    rows: document.querySelectorAll(`#${t} tbody tr`).length,
  }), [table, count]);
}

async function main() {
  const { chromium } = await loadPlaywright();
  const stack = new Stack({ pullwatch, kubesim, token: TOKEN });
  let browser;
  const errors = [];
  try {
    await stack.startCluster();
    await stack.startPullwatch();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.url });
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy|Refused/.test(m.text())) errors.push(m.text()); });
    await page.goto(stack.url);
    await page.fill('#login-token', TOKEN);
    await page.click('#login-submit');
    await page.waitForSelector('#app:not([hidden])');

    await step('the pull form says what is wrong, in the server\'s words, as the user types', async () => {
      const long = 'a'.repeat(300);
      await page.fill('#pull-names', `nginx:1.27\nNginx::1\n\n# a comment\n${long}`);
      await page.waitForFunction(() => document.querySelectorAll('#pull-problems li').length === 2);
      const shown = await page.$$eval('#pull-problems li', (items) => items.map((i) => i.textContent));
      const server = await page.evaluate(async (names) => {
        const r = await fetch('/images/pull-check', { method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ names }) });
        return (await r.json()).data;
      }, ['Nginx::1', long]);
      assert(shown[0] === `line 2: ${server[0].error}`, `line 2 says "${shown[0]}"; the server says "${server[0].error}"`);
      assert(shown[1] === `line 5: ${server[1].error}`, `line 5 says "${shown[1]}"`);
      assert(shown[1].includes('is 300 characters long'), `the length counts what was typed: ${shown[1]}`);
      assert(await page.$eval('#pull-names', (t) => t.classList.contains('invalid')), 'the form is marked');
      const before = await page.evaluate(async () => (await (await fetch('/images/pull-active')).json()).data.length);
      await page.click('#pull-submit');
      await page.waitForFunction(() => document.querySelector('#pull-feedback').classList.contains('error'));
      const after = await page.evaluate(async () => (await (await fetch('/images/pull-active')).json()).data.length);
      assert(after === before, 'nothing was started');
      await page.fill('#pull-names', 'nginx:1.27');
      await page.waitForFunction(() => document.querySelectorAll('#pull-problems li').length === 0);
    });

    let slowJob = '';
    await step('headings count the rows shown', async () => {
      await page.fill('#pull-names', 'example/slow:7\nexample/pushfail:7\nexample/quick:7');
      await page.click('#pull-submit');
      await page.waitForFunction(() => document.querySelector('#pull-feedback').textContent.startsWith('Started 3 pulls'));
      await page.waitForSelector('#active-table tbody tr:has(td.image:text("quick:7"))[data-status="completed"]', { timeout: 60000 });
      const active = await countAndRows(page, 'active-table', 'active-count');
      assert(active.heading === `(${active.rows})`, `Active pulls ${active.heading} above ${active.rows} rows`);
      slowJob = await page.getAttribute('#active-table tbody tr:has(td.image:text("slow:7"))', 'data-job-id');
      assert(slowJob, 'the slow pull is listed');
    });

    const failedRow = '#failed-table tbody tr:has(td.image:text("pushfail:7"))';
    await step('a failure\'s time ticks and its details lead with the cause', async () => {
      await page.waitForSelector(failedRow, { timeout: 90000 });
      const failed = await countAndRows(page, 'failed-table', 'failed-count');
      assert(failed.heading === `(${failed.rows})`, `Failed pulls ${failed.heading} above ${failed.rows} rows`);
      const id = await page.getAttribute(failedRow, 'data-job-id');
      const first = await page.textContent(`${failedRow} td.time`);
      await page.waitForFunction(([job, text]) => document.querySelector(`#failed-table tr[data-job-id="${job}"] td.time`)
        .textContent !== text, [id, first], { timeout: 10000 });
      await page.click(`${failedRow} button:text("Details")`);
      await page.waitForSelector('#details:not([hidden])');
      const cause = await page.textContent('#details-cause');
      assert(/^PUT https:\/\/\S+: UNAUTHORIZED/.test(cause), `the details lead with crane's error line: ${cause}`);
      await page.click('#details-close');
    });

    await step('the history keeps completed and failed pulls, with duration and Harbor target', async () => {
      const done = '#history-table tbody tr[data-status="completed"]:has(td.image:text("quick:7"))';
      await page.waitForSelector(done, { timeout: 30000 });
      const target = await page.textContent(`${done} td.target`);
      assert(target.startsWith('harbor.local/mirror/') && target.endsWith('quick:7'), `target ${target}`);
      assert(/\d+ s/.test(await page.textContent(`${done} td.duration`)), 'a duration is shown');
      await page.waitForSelector('#history-table tbody tr[data-status="failed"]:has(td.image:text("pushfail:7"))');
      const history = await countAndRows(page, 'history-table', 'history-count');
      assert(history.heading === `(${history.rows})`, `History ${history.heading} above ${history.rows} rows`);
      await page.selectOption('#history-status', 'failed');
      await page.waitForFunction(() => [...document.querySelectorAll('#history-table tbody tr')]
        .every((r) => r.dataset.status === 'failed'));
      await page.selectOption('#history-status', 'all');
      await page.waitForSelector(done);
    });

    await step('a context menu on every pull row', async () => {
      await page.click(failedRow, { button: 'right' });
      await page.waitForSelector('#pull-menu:not([hidden])');
      const items = await page.$$eval('#pull-menu button', (b) => b.map((x) => [x.textContent, !x.disabled]));
      const expected = [['View logs', true], ['Retry', true], ['Cancel', false], ['Copy image', true], ['Copy Harbor target', true]];
      assert(JSON.stringify(items) === JSON.stringify(expected), `menu ${JSON.stringify(items)}`);
      await page.click('#pull-menu button:text("Copy Harbor target")');
      await page.waitForSelector('#pull-menu', { state: 'hidden' });
      const id = await page.getAttribute(failedRow, 'data-job-id');
      const target = await page.evaluate(async (job) => (await (await fetch(`/images/pull/${job}`)).json()).data.target, id);
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assert(target && copied === target, `copied "${copied}", the target is "${target}"`);
      const activeRow = `#active-table tbody tr[data-job-id="${slowJob}"]`;
      await page.click(activeRow, { button: 'right' });
      const activeItems = await page.$$eval('#pull-menu button', (b) => b.map((x) => [x.textContent, !x.disabled]));
      assert(JSON.stringify(activeItems.slice(1, 3)) === JSON.stringify([['Retry', false], ['Cancel', true]]),
        `active menu ${JSON.stringify(activeItems)}`);
      await page.keyboard.press('Escape');
      await page.waitForSelector('#pull-menu', { state: 'hidden' });
    });

    await step('double-click leads from a pull to its logs', async () => {
      await page.dblclick(`#active-table tbody tr[data-job-id="${slowJob}"] td.image`);
      await page.waitForSelector('#view-logs:not([hidden])');
      await page.waitForFunction((job) => document.querySelector('#log-target').value === `job:${job}`, slowJob);
      // Both containers: the Job's pod followed container by container (no container=).
      assert(await page.inputValue('#log-container') === '', 'all containers, in order');
      await page.click('#tab-pulls');
    });

    await step('at 360 px the tables are cards inside the page', async () => {
      await page.setViewportSize({ width: 360, height: 800 });
      await page.waitForFunction(() => getComputedStyle(document.querySelector('#active-table thead')).display === 'none');
      const widths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        tables: [...document.querySelectorAll('#view-pulls .card')].map((c) => [c.scrollWidth, c.clientWidth]),
      }));
      assert(widths.page <= 360, `the page is ${widths.page} px wide at 360`);
      for (const [scroll, client] of widths.tables) assert(scroll <= client, `a card spills: ${scroll} > ${client}`);
      const label = await page.$eval('#failed-table tbody tr td.time', (td) => getComputedStyle(td, '::before').content);
      assert(label.includes('Failed'), `cells are labelled: ${label}`);
      await page.screenshot({ path: path.join(artifacts, 'web-pulls-360.png'), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 900 });
    });

    await step('help is served by the binary', async () => {
      const href = await page.getAttribute('#help-link', 'href');
      const r = await page.evaluate(async (u) => { const x = await fetch(u); return [x.status, await x.text()]; }, href);
      assert(r[0] === 200 && r[1].includes('Demo outcomes'), `help page ${r[0]}`);
      assert(errors.length === 0, `page errors: ${errors.join('\n')}`);
    });
  } finally {
    if (browser) await browser.close();
    await stack.stop();
  }
}

main().then(() => {
  console.log(`all ${passed} first-use browser steps passed`);
  process.exit(0);
}, (e) => {
  console.error(`first-use browser tests failed: ${e.message}`);
  process.exit(1);
});
