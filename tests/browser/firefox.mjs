// The web UI in Debian's Firefox ESR (current Chromium and Firefox), driven by
// puppeteer-core over WebDriver BiDi (no browser download): log in, see a pull complete and a
// failed pull's reason, follow a chatty pod's logs. The full suite runs in Chromium (e2e.mjs).
//
// node firefox.mjs --pullwatch BIN --kubesim BIN [--artifacts DIR]
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Stack, fail } from './harness.mjs';

const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';
const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const artifacts = option('artifacts', path.join(here, 'artifacts'));
if (!existsSync(FIREFOX)) fail(`Firefox is not installed at ${FIREFOX} (Debian: apt-get install firefox-esr; or set FIREFOX)`);
let puppeteer;
try {
  puppeteer = (await import('puppeteer-core')).default;
} catch (e) {
  fail(`puppeteer-core is missing in tests/browser/node_modules (${e.message}); run scripts/install-browser-deps.sh`);
}
mkdirSync(artifacts, { recursive: true });

const TOKEN = 'firefox-token-5d1e0c7a92b4f6e8a0c3d5b7f9e1a2c4';
const stack = new Stack({ pullwatch: option('pullwatch'), kubesim: option('kubesim'), token: TOKEN });
let browser;
const started = Date.now();
try {
  await stack.startCluster();
  await stack.startPullwatch();
  browser = await puppeteer.launch({
    browser: 'firefox', executablePath: FIREFOX, headless: true,
    userDataDir: mkdtempSync(path.join(os.tmpdir(), 'pullwatch-firefox-')),
    extraPrefsFirefox: { 'network.dns.disableIPv6': false, 'browser.shell.checkDefaultBrowser': false },
  });
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(stack.url);
  await page.waitForSelector('#login-view:not([hidden])');
  await page.type('#login-token', TOKEN);
  await page.click('#login-submit');
  await page.waitForSelector('#app:not([hidden])');
  await page.waitForFunction(() => document.querySelector('#connection').textContent === 'connected');
  await page.type('#pull-names', 'nginx:1.27\nexample/chatty:1\nexample/notfound:1');
  await page.click('#pull-submit');
  await page.waitForFunction(() => [...document.querySelectorAll('#active-table tbody tr[data-status="completed"] td.image')]
    .some((td) => td.textContent === 'nginx:1.27'), { timeout: 120000 });
  await page.waitForFunction(() => [...document.querySelectorAll('#failed-table .reason')]
    .some((r) => r.textContent === 'ImageNotFound'), { timeout: 120000 });
  const chattyJob = await page.evaluate(() => [...document.querySelectorAll('#active-table tbody tr')]
    .find((tr) => tr.querySelector('td.image').textContent === 'example/chatty:1').dataset.jobId);
  await page.screenshot({ path: path.join(artifacts, 'firefox-pulls.png') });
  await page.click('#tab-logs');
  await page.waitForFunction(() => document.querySelector('#log-namespace').options.length > 0);
  await page.select('#log-namespace', 'default');
  await page.waitForFunction((job) => [...document.querySelector('#log-target').options].some((o) => o.value === `job:${job}`), { timeout: 30000 }, chattyJob);
  await page.select('#log-target', `job:${chattyJob}`);
  await page.select('#log-container', 'push-to-harbor');
  await page.click('#log-follow');
  await page.waitForFunction(() => document.querySelectorAll('#log-view .line:not(.marker)').length > 100, { timeout: 60000 });
  await page.screenshot({ path: path.join(artifacts, 'firefox-logs.png') });
  if (errors.length) throw new Error(`page errors: ${errors.join('\n')}`);
  console.log(`PASS Firefox ${await browser.version()}: login, pull completed, failed reason, logs followed (${Date.now() - started} ms)`);
} catch (e) {
  console.error(`FAIL Firefox: ${e.stack || e}`);
  process.exitCode = 1;
} finally {
  if (browser) await browser.close();
  await stack.stop();
}
