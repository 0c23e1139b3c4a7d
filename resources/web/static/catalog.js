// The live catalogue of one namespace over /ws/catalog (docs/api.md): namespaces, pods and
// Jobs kept up to date as the server pushes changes, so the log viewer's lists never need a
// refresh button.

import { ReconnectingSocket } from './socket.js';

export class Catalog {
  /** onChange() is called after every change of namespaces, pods or jobs. */
  constructor(onChange, onError) {
    this.onChange = onChange;
    this.onError = onError;
    this.namespace = '';
    this.namespaces = [];
    this.pods = new Map();
    this.jobs = new Map();
    this.socket = null;
    this.ready = false;
  }

  /** Watches `namespace` (the previous one is let go). */
  watch(namespace) {
    if (this.socket && namespace === this.namespace) return;
    if (this.socket) this.socket.stop();
    this.namespace = namespace;
    this.pods = new Map();
    this.jobs = new Map();
    this.ready = false;
    this.socket = new ReconnectingSocket(() => `/ws/catalog?namespace=${encodeURIComponent(namespace)}`, {
      onMessage: (m) => this.onMessage(m),
      shouldReconnect: (event) => event.code !== 1008,
    });
    this.socket.start();
  }

  stop() {
    if (this.socket) this.socket.stop();
    this.socket = null;
    clearTimeout(this.changeTimer);
    this.changeTimer = null;
  }

  onMessage(m) {
    if (m.type === 'catalog') {
      // A new snapshot (also after a reconnect) replaces what was known.
      this.pods = new Map(m.pods.map((p) => [p.name, p]));
      this.jobs = new Map(m.jobs.map((j) => [j.name, j]));
      this.ready = true;
    } else if (m.type === 'pod') {
      if (m.action === 'delete') this.pods.delete(m.pod.name);
      else this.pods.set(m.pod.name, m.pod);
    } else if (m.type === 'job') {
      if (m.action === 'delete') this.jobs.delete(m.job.name);
      else this.jobs.set(m.job.name, m.job);
    } else if (m.type === 'namespaces') {
      this.namespaces = m.namespaces;
    } else if (m.type === 'error') {
      if (this.onError) this.onError(m.error);
      return;
    } else {
      return;
    }
    // A large namespace comes as a snapshot and then thousands of pod upserts: the lists
    // are redrawn once per burst (50 ms), not once per message.
    if (!this.changeTimer) {
      this.changeTimer = setTimeout(() => {
        this.changeTimer = null;
        this.onChange();
      }, 50);
    }
  }

  /** Distinct app= labels of the pods, with how many pods carry each. */
  apps() {
    const counts = new Map();
    for (const p of this.pods.values()) {
      const app = p.labels && p.labels.app;
      if (app) counts.set(app, (counts.get(app) || 0) + 1);
    }
    return [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  }
}
