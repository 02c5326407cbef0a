import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { now, serve } from './child';

/** What the bench reads from a receiver, in this process or in its own (then every call goes over IPC). */
export interface BenchReceiver {
  url: string;
  reset(): Promise<void>;
  /** Resolves true once `n` unique deliveries arrived, false after `timeoutMs`. */
  until(n: number, timeoutMs: number): Promise<boolean>;
  /** Unique deliveries (webhook-id) since the last reset, and when the latest new one arrived (epoch ms). */
  stats(): Promise<{ unique: number; lastAt: number }>;
  /** When each event id was first seen (epoch ms, high resolution). */
  firstSeen(): Promise<[string, number][]>;
  close(): Promise<void>;
}

/** A receiver counting unique deliveries (webhook-id) and the time each event was first seen; HTTPS when given a key and certificate. */
export class CountingReceiver implements BenchReceiver {
  url = '';
  private unique = new Set<string>();
  private total = 0;
  private lastAt = 0;
  private seen = new Map<string, number>();
  private server!: Server;
  private waiters: { n: number; resolve: () => void }[] = [];

  constructor(private readonly tls?: { key: string; cert: string }) {}

  async start(): Promise<string> {
    const handler = (req: IncomingMessage, res: ServerResponse) => this.handle(req, res);
    this.server = this.tls ? createHttpsServer(this.tls, handler) : createHttpServer(handler);
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `${this.tls ? 'https' : 'http'}://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
    return this.url;
  }

  async reset(): Promise<void> {
    this.unique.clear();
    this.seen.clear();
    this.total = 0;
    this.lastAt = 0;
  }

  until(n: number, timeoutMs: number): Promise<boolean> {
    if (this.unique.size >= n) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push({ n, resolve: () => (clearTimeout(timer), resolve(true)) });
    });
  }

  async stats(): Promise<{ unique: number; lastAt: number }> {
    return { unique: this.unique.size, lastAt: this.lastAt };
  }

  async firstSeen(): Promise<[string, number][]> {
    return [...this.seen];
  }

  /** Stops listening and drops the keep-alive connections, so a sender's idle sockets do not hold it open. */
  close(): Promise<void> {
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    this.server.closeAllConnections();
    return closed;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const at = now();
      this.total++;
      const id = String(req.headers['webhook-id'] ?? this.total);
      if (!this.unique.has(id)) {
        this.unique.add(id);
        this.lastAt = at;
      }
      const eventId = tryEventId(chunks);
      if (eventId && !this.seen.has(eventId)) this.seen.set(eventId, at);
      res.writeHead(200).end('ok');
      this.waiters = this.waiters.filter((w) => (this.unique.size >= w.n ? (w.resolve(), false) : true));
    });
  }
}

function tryEventId(chunks: Buffer[]): string | undefined {
  try {
    return JSON.parse(Buffer.concat(chunks).toString()).id;
  } catch {
    return undefined;
  }
}

/** Forked by the bench: an HTTPS receiver in its own process (BENCH_TLS_KEY / BENCH_TLS_CERT name the PEM files). */
if (require.main === module) {
  const receiver = new CountingReceiver({ key: readFileSync(process.env.BENCH_TLS_KEY!, 'utf8'), cert: readFileSync(process.env.BENCH_TLS_CERT!, 'utf8') });
  serve(receiver, receiver.start());
}
