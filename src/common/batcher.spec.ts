import { Batcher } from './batcher';

/** A flush that records its batches and holds each one open until released. */
function recorder(failures = 0) {
  const batches: number[][] = [];
  const open: (() => void)[] = [];
  let toFail = failures;
  const flush = (items: number[]) =>
    new Promise<void>((resolve, reject) => {
      batches.push(items);
      open.push(() => (toFail-- > 0 ? reject(new Error('write failed')) : resolve()));
    });
  const releaseAll = async () => {
    while (open.length) {
      open.shift()!();
      await Promise.resolve();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { batches, flush, releaseAll };
}

describe('Batcher', () => {
  it('flushes the first item at once and everything that arrived meanwhile together, in batches of at most maxBatch', async () => {
    const r = recorder();
    const batcher = new Batcher<number>({ maxBatch: 2, flush: r.flush });
    [1, 2, 3, 4, 5].forEach((n) => batcher.add(n));
    await r.releaseAll();
    expect(r.batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('with a wait, collects items until flushAt is reached, and flushes the rest when the wait is over', async () => {
    jest.useFakeTimers();
    try {
      const r = recorder();
      const batcher = new Batcher<number>({ waitMs: 10, flushAt: 3, flush: r.flush });
      [1, 2].forEach((n) => batcher.add(n));
      expect(r.batches).toEqual([]);
      batcher.add(3);
      expect(r.batches).toEqual([[1, 2, 3]]);
      batcher.add(4);
      jest.advanceTimersByTime(10);
      jest.useRealTimers();
      await r.releaseAll();
      expect(r.batches).toEqual([[1, 2, 3], [4]]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('puts a failed batch back in front and flushes it again, ahead of later items', async () => {
    const r = recorder(1);
    const batcher = new Batcher<number>({ retryAfterMs: 1, flush: r.flush });
    batcher.add(1);
    batcher.add(2);
    await r.releaseAll();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await r.releaseAll();
    expect(r.batches).toEqual([[1], [1, 2]]);
  });

  it('drain flushes what waits without waiting out the delay, and gives up at a failed flush', async () => {
    const r = recorder(1);
    const batcher = new Batcher<number>({ waitMs: 60_000, flushAt: 100, flush: r.flush });
    batcher.add(1);
    const drained = batcher.drain();
    await r.releaseAll();
    await drained;
    expect(r.batches).toEqual([[1]]);

    batcher.add(2);
    const second = batcher.drain();
    await r.releaseAll();
    await second;
    expect(r.batches).toEqual([[1], [1, 2]]);
  });
});
