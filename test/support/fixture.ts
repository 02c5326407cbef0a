import { Gateway, startGateway, StartOptions } from './gateway';
import { Receiver, ReceiverOptions } from './receiver';

/*
 * The e2e set-up every suite shares: a gateway and its receivers, started in beforeAll and closed in
 * afterAll of the describe block that asks for them. Each `use…` returns a handle at once; it is filled
 * when its beforeAll has run, so read it in tests and in hooks declared after it.
 *
 * jest-circus runs afterAll hooks in the order they were declared (only the old jasmine2 runner
 * reversed them). Declare the gateway first: it then stops delivering before its receivers close.
 * Not for a receiver that never answers: the gateway's close does not cut an attempt in flight, and
 * that attempt keeps Jest from exiting; such a receiver must close before the gateway (as in
 * retention.e2e-spec.ts).
 */

/** Options, or a function that gives them once earlier hooks have run (ports, keys, databases). */
export type GatewayOptions = StartOptions | (() => StartOptions | Promise<StartOptions>);

/** A gateway for the enclosing describe block. */
export function useGateway(options: GatewayOptions = {}): Gateway {
  let gateway: Gateway | undefined;
  beforeAll(async () => {
    gateway = await startGateway(typeof options === 'function' ? await options() : options);
  });
  afterAll(async () => {
    await gateway?.close();
    gateway = undefined;
  });
  return handle('the gateway', () => gateway);
}

/** A webhook receiver for the enclosing describe block. */
export function useReceiver(options: ReceiverOptions = {}): Receiver {
  return useReceivers(1, options)[0];
}

/** `count` webhook receivers for the enclosing describe block. */
export function useReceivers(count: number, options: ReceiverOptions = {}): Receiver[] {
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    for (let i = 0; i < count; i++) receivers.push(await Receiver.start(options));
  });
  afterAll(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });
  return Array.from({ length: count }, (_, i) => handle(`receiver ${i + 1} of ${count}`, () => receivers[i]));
}

/**
 * A function that starts a new receiver on each call (for tests that each want their own), answering
 * with `respond` when given; all of them close after the enclosing describe block.
 */
export function useReceiverFactory(options: ReceiverOptions = {}): (respond?: Receiver['respond']) => Promise<Receiver> {
  const started: Receiver[] = [];
  afterAll(async () => {
    await Promise.all(started.splice(0).map((r) => r.close()));
  });
  return async (respond) => {
    const receiver = await Receiver.start(options);
    started.push(receiver);
    if (respond) receiver.respond = respond;
    return receiver;
  };
}

/**
 * Stands for the object `current()` returns once its beforeAll has run: reads, calls and assignments
 * (e.g. `receiver.respond = …`) go to it; used before then, it says so instead of failing on `undefined`.
 */
function handle<T extends object>(name: string, current: () => T | undefined): T {
  const target = (): T => {
    const value = current();
    if (!value) throw new Error(`${name} is not running: use it in tests or in hooks declared after it, inside its describe block`);
    return value;
  };
  return new Proxy({} as T, {
    get: (_, key) => {
      const object = target();
      const value = Reflect.get(object, key, object);
      return typeof value === 'function' ? value.bind(object) : value;
    },
    set: (_, key, value) => Reflect.set(target(), key, value),
    has: (_, key) => Reflect.has(target(), key),
  });
}
