import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Queue } from 'bullmq';
import * as jwt from 'jsonwebtoken';
import { TEST_JWT_SECRET, testGatewayEnv, withPg } from '../support/gateway';

/**
 * Support for the scale-out suites: a throwaway PostgreSQL database, and gateway processes of the
 * BUILT server (`node dist/src/main.js`, or HOOKGATE_MAIN) that can be killed and restarted.
 */

export interface ScaleServices {
  postgresUrl: string;
  redisUrl?: string;
}

/**
 * The services a suite needs, or null (after a loud warning) when they are not configured: the
 * suite is then skipped, never passed silently.
 */
export function scaleServices(suite: string, needs: { redis: boolean }): ScaleServices | null {
  const postgresUrl = process.env.TEST_POSTGRES_URL;
  const redisUrl = process.env.TEST_REDIS_URL;
  const missing = [!postgresUrl && 'TEST_POSTGRES_URL', needs.redis && !redisUrl && 'TEST_REDIS_URL'].filter(Boolean);
  if (missing.length) {
    const warning =
      `\n!!! SKIPPED: ${suite} needs ${missing.join(' and ')} (e.g. TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres` +
      ` TEST_REDIS_URL=redis://127.0.0.1:6379/0). The scale-out suite did NOT run. !!!\n`;
    console.warn(warning);
    // Jest drops the console output of a file whose tests were all skipped: say it on stderr too.
    process.stderr.write(warning);
    return null;
  }
  return { postgresUrl: postgresUrl!, redisUrl };
}


/** Deliveries by status, from the database itself. */
export async function deliveryStatuses(databaseUrl: string): Promise<Record<string, number>> {
  const { rows } = await withPg(databaseUrl, (c) => c.query<{ status: string; n: string }>('SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status'));
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Removes every Redis key under the prefix (BullMQ's and the rate-limit buckets). */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  // This queue object only lends its connection (skipMetasUpdate: it writes no key of its own).
  const queue = new Queue('cleanup', { connection: { url: redisUrl }, prefix, skipMetasUpdate: true });
  try {
    const client = await queue.getBackend().client;
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, { MATCH: `${prefix}:*`, COUNT: 1000 });
      if (keys.length) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await queue.close();
  }
}

export function bearer(scope: string): string {
  return jwt.sign({ scope, tenant: 'acme' }, TEST_JWT_SECRET, { algorithm: 'HS256', subject: 'scale-tester', expiresIn: 1800 });
}

/** Environment every process of one cluster shares (same secrets, same database). */
export function clusterEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...testGatewayEnv(databaseUrl),
    HOST: '127.0.0.1',
    API_RATE_LIMIT_PER_MINUTE: '100000',
    SHUTDOWN_GRACE_MS: '1000',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    ...extra,
  };
}

const OUTPUT_LINES_KEPT = 80;

/** One `node dist/src/main.js` on a fixed port, killable and restartable. */
export class GatewayProcess {
  readonly url: string;
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private readonly output: string[] = [];
  starts = 0;

  constructor(
    readonly name: string,
    private readonly env: Record<string, string>,
    readonly port: number,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  static main(): string {
    const main = resolve(__dirname, '../..', process.env.HOOKGATE_MAIN ?? 'dist/src/main.js');
    if (!existsSync(main)) throw new Error(`${main} does not exist: build the server first (npm run build, or set HOOKGATE_MAIN)`);
    return main;
  }

  /** Starts the process and resolves once /health answers 200 (bounded). */
  async start(timeoutMs = 30000): Promise<void> {
    const child = spawn(process.execPath, [GatewayProcess.main()], {
      cwd: resolve(__dirname, '../..'),
      env: { ...process.env, ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts++;
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) this.output.push(`[${this.name}#${this.starts}] ${line.slice(0, 400)}`);
      this.output.splice(0, Math.max(0, this.output.length - OUTPUT_LINES_KEPT));
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((done) => child.once('exit', () => done()));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${this.name} exited during start-up:\n${this.log()}`);
      const healthy = await fetch(`${this.url}/health`).then((r) => r.status === 200, () => false);
      if (healthy) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.name} not healthy within ${timeoutMs} ms:\n${this.log()}`);
  }

  /** Sends the signal and waits until the process is gone (a SIGTERM not obeyed in 5 s becomes a SIGKILL). */
  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const obeyed = await Promise.race([this.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000).unref())]);
    if (!obeyed) {
      child.kill('SIGKILL');
      await this.exited;
    }
  }

  log(): string {
    return this.output.join('\n');
  }
}
