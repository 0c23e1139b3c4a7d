// Processes for the browser tests: a simulated cluster (pullwatch-kubesim) that outlives
// Pullwatch restarts, Pullwatch itself on a fixed loopback port, and Debian's Chromium.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// As on this machine's probe: no background traffic, no sandbox as root, a fresh profile.
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** --pullwatch BIN --kubesim BIN [--artifacts DIR] of a browser test script. */
export function scriptOptions(script, defaultArtifacts) {
  const argv = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : fallback;
  };
  const options = {
    pullwatch: option('pullwatch', process.env.PULLWATCH_BINARY),
    kubesim: option('kubesim', process.env.KUBESIM_BINARY),
    artifacts: option('artifacts', defaultArtifacts),
  };
  if (!options.pullwatch || !options.kubesim) fail(`usage: node ${script} --pullwatch BIN --kubesim BIN`);
  mkdirSync(options.artifacts, { recursive: true });
  return options;
}

export function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

export async function loadPlaywright() {
  if (!existsSync(CHROMIUM)) {
    fail(`Chromium is not installed at ${CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM). `
      + 'scripts/install-browser-deps.sh installs it.');
  }
  try {
    return await import('playwright-core');
  } catch (e) {
    fail(`playwright-core is missing in tests/browser/node_modules (${e.message}); run scripts/install-browser-deps.sh`);
  }
  return null;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts `bin args`; resolves with the process once `pattern` appears in its output. */
export function startProcess(name, bin, args, env, pattern, timeoutMs = 20000) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.output = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start in ${timeoutMs} ms:\n${child.output}`)), timeoutMs);
    const onData = (chunk) => {
      child.output += chunk.toString();
      if (pattern && pattern.test(child.output)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      child.exited = true;
      if (!pattern || !pattern.test(child.output)) reject(new Error(`${name} exited (${code}):\n${child.output}`));
    });
    if (!pattern) resolve(child);
  });
}

export async function stopProcess(child, timeoutMs = 8000) {
  if (!child || child.exited) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await done;
  clearTimeout(timer);
}

export async function waitForFile(file, timeoutMs = 20000) {
  const end = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > end) throw new Error(`${file} did not appear`);
    await sleep(100);
  }
}

/** A cluster and a Pullwatch that can be restarted on the same port with the same data. */
export class Stack {
  constructor({ pullwatch, kubesim, token, scenario }) {
    this.pullwatchBin = pullwatch;
    this.kubesimBin = kubesim;
    this.token = token;
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'pullwatch-web-'));
    for (const d of ['home', 'config', 'data']) mkdirSync(path.join(this.dir, d));
    this.kubeconfig = path.join(this.dir, 'kubeconfig');
    this.scenario = scenario;
  }

  env() {
    const env = { ...process.env, HOME: path.join(this.dir, 'home'), XDG_CONFIG_HOME: path.join(this.dir, 'config'),
      XDG_DATA_HOME: path.join(this.dir, 'data'), PULLWATCH_TOKEN: this.token };
    delete env.KUBECONFIG;
    for (const key of Object.keys(env)) if (key.startsWith('PULLWATCH_') && key !== 'PULLWATCH_TOKEN') delete env[key];
    return env;
  }

  async startCluster() {
    const args = ['--demo-workloads', '--write-kubeconfig', this.kubeconfig, '--listen', '127.0.0.1:0'];
    if (this.scenario) {
      const file = path.join(this.dir, 'scenario.json');
      writeFileSync(file, JSON.stringify(this.scenario));
      args.push('--scenario', file);
    }
    this.kubesim = await startProcess('pullwatch-kubesim', this.kubesimBin, args, this.env(), null);
    await waitForFile(this.kubeconfig);
    await sleep(300);
  }

  async startPullwatch(extraArgs = []) {
    if (!this.port) this.port = await freePort();
    this.pullwatch = await startProcess('pullwatch', this.pullwatchBin,
      ['--headless', '--kubeconfig', this.kubeconfig, '--listen', `127.0.0.1:${this.port}`,
        '--data-dir', path.join(this.dir, 'data', 'pullwatch'), '--pull-backoff-grace', '3', ...extraArgs],
      this.env(), /Pullwatch listening on/);
    this.url = `http://127.0.0.1:${this.port}`;
  }

  async stopPullwatch() {
    await stopProcess(this.pullwatch);
    this.pullwatch = null;
  }

  async stop() {
    await stopProcess(this.pullwatch);
    await stopProcess(this.kubesim);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
