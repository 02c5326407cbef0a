import { loadConfig } from '../../config/app-config';
import { DeliveryRow, EndpointRow, EventRow } from '../../persistence/entities';
import { DeliveryStore } from '../store/delivery-store';
import { DeliveryHandoff, HANDOFF_LIMIT } from './delivery-handoff';

describe('DeliveryHandoff', () => {
  const released: string[][] = [];
  const store = { release: async (ids: string[]) => void released.push(ids) } as unknown as DeliveryStore;
  const endpoint = { id: 'ep', timeoutMs: null } as EndpointRow;
  const event = { id: 'ev' } as EventRow;
  const handoffWith = (env: Record<string, string> = {}) => new DeliveryHandoff(loadConfig({ DELIVERY_TIMEOUT_MS: '15000', ...env }), store);
  const item = (h: DeliveryHandoff, id: string, now: number) => ({ delivery: { id, leaseUntil: h.leaseUntil(endpoint, now) } as DeliveryRow, event, endpoint });
  const ids = (taken: { delivery: DeliveryRow }[]) => taken.map((t) => t.delivery.id);

  beforeEach(() => (released.length = 0));

  it('takes no handover while the dispatcher is stopped, and its room shrinks with what waits', () => {
    const h = handoffWith();
    expect(h.room()).toBe(0);
    h.start(() => undefined);
    expect(h.room()).toBe(HANDOFF_LIMIT);
    h.give([item(h, 'a', Date.now()), item(h, 'b', Date.now())]);
    expect([h.size, h.room()]).toEqual([2, HANDOFF_LIMIT - 2]);
  });

  it('leases as a claim does: the timeout plus slack, at least DELIVERY_LEASE_MS', () => {
    expect(handoffWith({ DELIVERY_LEASE_MS: '60000' }).leaseUntil(endpoint, 1000)).toBe(61_000);
    expect(handoffWith({ DELIVERY_LEASE_MS: '2000' }).leaseUntil(endpoint, 1000)).toBe(18_000);
    expect(handoffWith({ DELIVERY_LEASE_MS: '2000' }).leaseUntil({ timeoutMs: 1000 }, 1000)).toBe(4000);
  });

  it('tells the dispatcher after each handover, and hands out oldest first', () => {
    const h = handoffWith();
    let ready = 0;
    h.start(() => ready++);
    const now = Date.now();
    h.give([item(h, 'a', now), item(h, 'b', now)]);
    h.give([item(h, 'c', now)]);
    expect(ready).toBe(2);
    expect(ids(h.take(2, now))).toEqual(['a', 'b']);
    expect(ids(h.take(5, now))).toEqual(['c']);
    expect(h.size).toBe(0);
  });

  it('alternates between what publishes handed over and what the dispatcher read ahead, so neither starves the other', () => {
    const h = handoffWith();
    h.start(() => undefined);
    const now = Date.now();
    h.give(['p1', 'p2', 'p3', 'p4'].map((id) => item(h, id, now)));
    h.readAhead(['c1', 'c2'].map((id) => ({ ...item(h, id, now), at: 0 })));
    expect(h.claimedSize).toBe(2);
    expect(ids(h.take(4, now))).toEqual(['c1', 'p1', 'c2', 'p2']);
    expect(ids(h.take(4, now))).toEqual(['p3', 'p4']);
  });

  it('never sends once the lease could end mid-attempt: such a delivery is left to expire and be claimed', () => {
    // The shortest lease (timeout + slack) still covers an attempt taken within half the slack.
    const h = handoffWith({ DELIVERY_LEASE_MS: '2000' });
    h.start(() => undefined);
    h.give([item(h, 'soon', 0), item(h, 'late', 0), item(h, 'fresh', 1001)]);
    expect(ids(h.take(1, 1000))).toEqual(['soon']);
    expect(ids(h.take(5, 1001))).toEqual(['fresh']);
    expect(h.size).toBe(0);
  });

  it('at stop returns what never started, and gives up the leases of later handovers', async () => {
    const h = handoffWith();
    h.start(() => undefined);
    h.give([item(h, 'a', Date.now())]);
    h.readAhead([{ ...item(h, 'b', Date.now()), at: 0 }]);
    expect(h.stop().map((d) => d.id)).toEqual(['a', 'b']);
    expect(h.room()).toBe(0);
    h.give([item(h, 'c', Date.now())]);
    await Promise.resolve();
    expect([h.size, released]).toEqual([0, [['c']]]);
  });

  it('finds the waiting deliveries whose endpoint changed since its row was read, and renews every waiting row as of the check', () => {
    const h = handoffWith();
    h.start(() => undefined);
    const now = Date.now();
    const waiting = (id: string, endpointId: string, version: number, at: number) => ({ ...item(h, id, now), delivery: { id, endpointId, leaseUntil: h.leaseUntil(endpoint, now) } as DeliveryRow, endpoint: { id: endpointId, updatedAt: version } as EndpointRow, at });
    const before = performance.now();
    h.give([waiting('a', 'e1', 10, 0), waiting('b', 'e2', 20, 0)].map(({ at: _at, ...rest }) => rest));
    h.readAhead([waiting('c', 'e1', 10, before - 50), waiting('d', 'e3', 30, before + 10_000)]);
    expect(h.oldestRead()).toBe(before - 50);
    // e1 was edited (version 11); e2 shows up at the version read; e9 waits for nothing.
    expect(h.outdated(new Map([['e1', 11], ['e2', 20], ['e9', 1]]))).toEqual(['e1']);
    const checkedAt = performance.now() + 100;
    h.refresh(new Map([['e1', { id: 'e1', updatedAt: 11, enabled: false } as EndpointRow]]), checkedAt);
    expect(h.oldestRead()).toBe(checkedAt);
    const taken = h.take(4, now);
    expect(taken.map((t) => [t.delivery.id, t.endpoint?.updatedAt, t.at])).toEqual([
      ['c', 11, checkedAt],
      ['a', 11, checkedAt],
      ['d', 30, before + 10_000],
      ['b', 20, checkedAt],
    ]);
  });
});
