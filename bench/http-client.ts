/**
 * A minimal HTTP/1.1 keep-alive client for the load generator. It shares the machine's two cores
 * with the server and the database, so every microsecond it spends is taken from the system under
 * test: node:http's client costs about 100 µs a request here, this one a fraction of that. One
 * request in flight per connection (no pipelining), as a phone would send them. It understands only
 * what our server answers: a status line, headers, and a body of `content-length` bytes.
 */
import net from 'node:net';

export interface HttpResponse { status: number; body: string }

/** One keep-alive connection to host:port. `request` must not be called again before it resolves. */
export class Connection {
  private socket: net.Socket;
  private buf: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (r: HttpResponse) => void; reject: (e: Error) => void } | null = null;
  private ready: Promise<void>;

  constructor(private host: string, private port: number) {
    this.socket = net.connect({ host, port, noDelay: true });
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
    this.socket.on('data', (d: Buffer) => this.onData(d));
    this.socket.on('error', (e) => this.fail(e));
    this.socket.on('close', () => this.fail(new Error('connection closed')));
  }

  private fail(e: Error) {
    const w = this.waiting;
    this.waiting = null;
    w?.reject(e);
  }

  private onData(d: Buffer) {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = this.buf.toString('latin1', 0, end);
    const m = /\r\ncontent-length: *(\d+)/i.exec(head);
    const length = m ? Number(m[1]) : 0;
    if (this.buf.length < end + 4 + length) return;
    const body = this.buf.toString('utf8', end + 4, end + 4 + length);
    this.buf = this.buf.subarray(end + 4 + length);
    const w = this.waiting;
    this.waiting = null;
    w?.resolve({ status: Number(head.slice(9, 12)), body });
  }

  /** Send one request; `headers` is extra header lines, each ending in \r\n. */
  async request(method: string, path: string, headers: string, body: string | null): Promise<HttpResponse> {
    await this.ready;
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      const len = body ? `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` : '';
      this.socket.write(`${method} ${path} HTTP/1.1\r\nhost: ${this.host}:${this.port}\r\n${headers}${len}\r\n${body ?? ''}`);
    });
  }

  close() {
    this.socket.destroy();
  }
}
