import { ChildProcess, fork } from 'node:child_process';

/**
 * A bench part (receiver, load generator, bare route) run in its own process, driven over IPC:
 * the parent calls the child's methods by name and gets their resolved values back.
 */
interface Call {
  id: number;
  op: string;
  args: unknown[];
}
type Reply = { id: number; result?: unknown; error?: string } | { ready: unknown };

/** Epoch milliseconds at sub-millisecond resolution: comparable between the bench's processes. */
export const now = (): number => performance.timeOrigin + performance.now();

/** Child side: answers every call with `target[op](...args)`, then says `ready` with what `started` resolves to. */
export function serve(target: object, started: Promise<unknown>): void {
  process.on('message', async ({ id, op, args }: Call) => {
    try {
      const method = (target as Record<string, (...a: unknown[]) => unknown>)[op];
      if (typeof method !== 'function') throw new Error(`no operation ${op}`);
      process.send!({ id, result: await method.apply(target, args) });
    } catch (err) {
      process.send!({ id, error: (err as Error).stack ?? String(err) });
    }
  });
  // The parent went away (finished or crashed): nothing of the bench outlives it.
  process.on('disconnect', () => process.exit(0));
  started.then(
    (ready) => process.send!({ ready }),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

export interface Forked<T> {
  api: T;
  /** What the child's `started` resolved to (e.g. its URL). */
  ready: unknown;
  stop(): Promise<void>;
}

/** Parent side: forks `file` (a built .js) with `env` and resolves once it is ready (bounded). */
export async function forkServing<T>(file: string, env: Record<string, string> = {}): Promise<Forked<T>> {
  const child: ChildProcess = fork(file, [], { env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const ready = await new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} not ready within 30 s`)), 30_000);
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before it was ready`)));
    child.on('message', (msg: Reply) => {
      if ('ready' in msg) return void (clearTimeout(timer), resolve(msg.ready));
      const call = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) call?.reject(new Error(`${file}: ${msg.error}`));
      else call?.resolve(msg.result);
    });
  });
  child.once('exit', (code) => pending.forEach((p) => p.reject(new Error(`${file} exited with ${code}`))));
  const api = new Proxy(
    {},
    {
      // Not a thenable: `await` on the proxy must not become a call.
      get: (_, op: string) =>
        op === 'then'
          ? undefined
          : (...args: unknown[]) =>
              new Promise((resolve, reject) => {
                const id = nextId++;
                pending.set(id, { resolve, reject });
                child.send({ id, op, args });
              }),
    },
  ) as T;
  return {
    api,
    ready,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.disconnect();
      const gone = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000).unref())]);
      if (!gone) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
