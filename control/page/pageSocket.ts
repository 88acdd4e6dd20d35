import type { ClientMessage, ServerMessage } from '../protocol/webProtocol.js';
import { reconnectDelayMs } from './pageUrls.js';

export interface PageSocketOptions {
  readonly url: string;
  readonly onMessage: (message: ServerMessage) => void;
  readonly onStatus: (status: 'open' | 'reconnecting') => void;
}

/**
 * The page's WebSocket: reconnects with backoff whenever it drops (a show restarted, a phone that
 * slept), forever, until disposed. Messages that are not JSON objects are ignored: the server is
 * ours, but a page must never stop over one bad frame.
 */
export class PageSocket {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(private readonly options: PageSocketOptions) {
    this.connect();
  }

  /** Sends a message if the socket is open; false when it is not (the caller says so). */
  send(message: ClientMessage): boolean {
    const s = this.socket;
    if (s === null || s.readyState !== WebSocket.OPEN) return false;
    s.send(JSON.stringify(message));
    return true;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.socket?.close();
  }

  private connect(): void {
    const s = new WebSocket(this.options.url);
    this.socket = s;
    s.onopen = () => {
      this.attempt = 0;
      this.options.onStatus('open');
    };
    s.onmessage = (e) => {
      if (typeof e.data !== 'string') return;
      let message: unknown;
      try {
        message = JSON.parse(e.data);
      } catch {
        return;
      }
      if (typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string') {
        this.options.onMessage(message as ServerMessage);
      }
    };
    s.onclose = () => {
      if (this.disposed || this.socket !== s) return;
      this.options.onStatus('reconnecting');
      this.timer = setTimeout(() => this.connect(), reconnectDelayMs(this.attempt++));
    };
  }
}
