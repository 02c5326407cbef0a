import { CountersThrottlerStorage, MemoryRateCounters } from './rate-counters';

describe('MemoryRateCounters', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('counts hits in a window that starts at the first hit, then starts again from zero', async () => {
    const counters = new MemoryRateCounters();
    expect(await counters.hit('k', 60_000)).toEqual({ count: 1, resetInMs: 60_000 });
    jest.setSystemTime(1_000_000 + 59_000);
    expect(await counters.hit('k', 60_000)).toEqual({ count: 2, resetInMs: 1_000 });
    jest.setSystemTime(1_000_000 + 60_000);
    expect(await counters.hit('k', 60_000)).toEqual({ count: 1, resetInMs: 60_000 });
  });

  it('a refund takes one hit back, never below zero, and keys are independent', async () => {
    const counters = new MemoryRateCounters();
    await counters.hit('a', 60_000);
    await counters.hit('a', 60_000);
    await counters.refund('a');
    await counters.refund('b');
    expect((await counters.hit('a', 60_000)).count).toBe(2);
    expect((await counters.hit('b', 60_000)).count).toBe(1);
  });
});

describe('CountersThrottlerStorage', () => {
  it('blocks past the limit until the window ends, in whole seconds', async () => {
    jest.useFakeTimers({ now: 5_000_000 });
    try {
      const storage = new CountersThrottlerStorage(new MemoryRateCounters());
      const first = await storage.increment('p', 60_000, 2);
      await storage.increment('p', 60_000, 2);
      jest.setSystemTime(5_000_000 + 30_500);
      const third = await storage.increment('p', 60_000, 2);
      expect(first).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
      expect(third).toEqual({ totalHits: 3, timeToExpire: 30, isBlocked: true, timeToBlockExpire: 30 });
    } finally {
      jest.useRealTimers();
    }
  });
});
