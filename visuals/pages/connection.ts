import type { ServerMessage, ClientMessage } from '../../control/protocol/webProtocol.js';

export interface ConnectionOptions {
  /** ws(s)://host/ws?token=… */
  readonly url: string;
  readonly onMessage: (message: ServerMessage) => void;
  readonly onStatus?: (connected: boolean) => void;
  /** first retry delay, ms (doubles up to `maxRetryMs`) */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
}

/**
 * The page's WebSocket to the show: reconnects whenever it drops (the show restarted, the venue's
 * wifi blinked), quickly at first, then every few seconds. Messages that are not JSON are ignored.
 */
export class Connection {
  private socket: WebSocket | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private delay: number;
  private closed = false;
  /** times the socket opened (1 = the first connection) */
  opened = 0;

  constructor(private readonly options: ConnectionOptions) {
    this.delay = options.retryMs ?? 250;
    this.connect();
  }

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  private connect(): void {
    if (this.closed) return;
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.options.url);
    } catch {
      this.retry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.opened++;
      this.delay = this.options.retryMs ?? 250;
      this.options.onStatus?.(true);
    };
    socket.onmessage = (e) => {
      if (typeof e.data !== 'string') return;
      let message: ServerMessage;
      try {
        message = JSON.parse(e.data) as ServerMessage;
      } catch {
        return;
      }
      this.options.onMessage(message);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.options.onStatus?.(false);
      this.retry();
    };
  }

  private retry(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), this.delay);
    this.delay = Math.min(this.delay * 2, this.options.maxRetryMs ?? 3000);
  }

  /** Sends a message when connected (dropped otherwise: nothing the page says must queue up). */
  send(message: ClientMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  dispose(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.socket?.close();
    this.socket = undefined;
  }
}

/** The socket URL for a page at `location`: same host, `/ws`, and the page's own token passed on. */
export function socketUrl(location: { protocol: string; host: string; search: string }): string {
  const token = new URLSearchParams(location.search).get('token');
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws${token !== null ? `?token=${encodeURIComponent(token)}` : ''}`;
}

/** A URL on the show's server with the page's token added (segment pictures). */
export function withToken(url: string, search: string): string {
  const token = new URLSearchParams(search).get('token');
  if (token === null) return url;
  return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
}
