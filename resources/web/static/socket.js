// A WebSocket that reconnects by itself with backoff after a drop or a server restart.
// The URL is asked for at every attempt, so a log stream can resume at the
// line after the last one received.

// The subprotocol that asks for Pullwatch's own messages (docs/api.md "Protocol versions");
// without it the server speaks the original service's protocol, which has no acks, stream
// states or gaps.
export const PROTOCOL = 'pullwatch.v2';

const MIN_DELAY_MS = 300;
const MAX_DELAY_MS = 8000;

export function wsUrl(path) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${path}`;
}

export class ReconnectingSocket {
  /**
   * @param {() => string} pathFn path and query for the next attempt
   * @param {object} handlers onOpen(reconnected), onMessage(obj), onState(state, detail),
   *   shouldReconnect(closeEvent) → boolean
   */
  constructor(pathFn, handlers) {
    this.pathFn = pathFn;
    this.handlers = handlers;
    this.ws = null;
    this.attempt = 0;
    this.everOpened = false;
    this.stopped = true;
    this.timer = null;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.onclose = null;
      ws.close(1000, 'closed by the page');
    }
    this.state('closed');
  }

  send(object) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(object));
      return true;
    }
    return false;
  }

  state(name, detail = '') {
    if (this.handlers.onState) this.handlers.onState(name, detail);
  }

  connect() {
    if (this.stopped) return;
    this.state(this.everOpened ? 'reconnecting' : 'connecting', this.attempt ? `attempt ${this.attempt + 1}` : '');
    let ws;
    try {
      ws = new WebSocket(wsUrl(this.pathFn()), [PROTOCOL]);
    } catch (e) {
      this.scheduleReconnect(String(e));
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      const reconnected = this.everOpened;
      this.everOpened = true;
      this.attempt = 0;
      this.state('open', reconnected ? 'reconnected' : '');
      if (this.handlers.onOpen) this.handlers.onOpen(reconnected);
    };
    ws.onmessage = (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      this.handlers.onMessage(message);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      const again = this.handlers.shouldReconnect ? this.handlers.shouldReconnect(event) : true;
      if (!again) {
        this.stopped = true;
        this.state('closed', event.reason || `closed (${event.code})`);
        return;
      }
      this.scheduleReconnect(event.reason || `connection lost (${event.code})`);
    };
  }

  scheduleReconnect(detail) {
    if (this.stopped) return;
    const delay = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
    this.attempt += 1;
    this.state('reconnecting', `${detail}; retrying in ${(delay / 1000).toFixed(1)} s`);
    this.timer = setTimeout(() => this.connect(), delay);
  }
}
