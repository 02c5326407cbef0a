import { Svix } from 'svix';
import { SvixPlugin } from '../../plugins/svix/svix.plugin';
import { IdempotentResponses } from '../../src/idempotency/idempotent-responses.service';
import { Database } from '../../src/persistence/database';
import { IdempotentResponseRow } from '../../src/persistence/entities';
import { useGateway } from '../support/fixture';
import { eventually } from '../support/gateway';

/**
 * `idempotency-key` on Svix's POSTs as Svix's server honours it: per caller, key and path, the first
 * success replayed for the key's window (IDEMPOTENCY_KEY_TTL, short here), failures not kept,
 * a concurrent repeat waiting for the first's answer, expired answers swept.
 */
describe('Svix idempotency-key (/svix), through the official svix SDK', () => {
  const gw = useGateway({ plugins: [SvixPlugin], env: { IDEMPOTENCY_KEY_TTL: '5s', RETENTION_SWEEP_INTERVAL: '200ms' } });
  let tenants = 0;

  const callerOf = (tenant = `idem-tenant-${++tenants}`) => {
    const token = gw.token({ sub: `${tenant}-service`, tenant, scope: 'svix:write' });
    return { token, svix: new Svix(token, { serverUrl: `${gw.url}/svix`, numRetries: 0 }) };
  };
  const storedAnswers = () => gw.app.get(Database).manager.count(IdempotentResponseRow);

  it('a repeat with the same key answers the first application (status and body), even with another body; another path or caller acts anew', async () => {
    const { svix, token } = callerOf();
    const first = await svix.application.create({ name: 'Billing' }, { idempotencyKey: 'key-1' });
    const again = await svix.application.create({ name: 'Something else' }, { idempotencyKey: 'key-1' });
    expect(again).toEqual(first);
    const raw = await gw.request('POST', '/svix/api/v1/app', { name: 'Billing' }, { token, headers: { 'idempotency-key': 'key-1' } });
    expect(raw.status).toBe(201);
    expect(raw.body).toMatchObject({ id: first.id, name: 'Billing' });
    expect((await svix.application.list()).data.map((a) => a.id)).toEqual([first.id]);

    // Svix keys on the path: the same key elsewhere is another request.
    const eventType = await svix.eventType.create({ name: 'invoice.paid', description: 'Paid' }, { idempotencyKey: 'key-1' });
    expect(eventType.name).toBe('invoice.paid');
    const endpoint = await svix.endpoint.create(first.id, { url: 'https://example.com/hook' }, { idempotencyKey: 'key-1' });
    expect(await svix.endpoint.create(first.id, { url: 'https://example.com/other' }, { idempotencyKey: 'key-1' })).toEqual(endpoint);
    expect((await svix.endpoint.list(first.id)).data.map((e) => e.id)).toEqual([endpoint.id]);

    // Another caller's same key is its own.
    const other = callerOf();
    expect((await other.svix.application.create({ name: 'Billing' }, { idempotencyKey: 'key-1' })).id).not.toBe(first.id);
  });

  it('secret rotate (204, no body), recover and message create act once per key', async () => {
    const { svix } = callerOf();
    const app = await svix.application.create({ name: 'Shop' });
    const endpoint = await svix.endpoint.create(app.id, { url: 'https://example.com/shop', disabled: true });
    const before = (await svix.endpoint.getSecret(app.id, endpoint.id)).key;
    await svix.endpoint.rotateSecret(app.id, endpoint.id, {}, { idempotencyKey: 'rotate-1' });
    const rotated = (await svix.endpoint.getSecret(app.id, endpoint.id)).key;
    expect(rotated).not.toBe(before);
    await svix.endpoint.rotateSecret(app.id, endpoint.id, {}, { idempotencyKey: 'rotate-1' });
    expect((await svix.endpoint.getSecret(app.id, endpoint.id)).key).toBe(rotated);

    // Recover answers a new task each time it runs: the repeat answers the first one's.
    const since = new Date(Date.now() - 60_000);
    const task = await svix.endpoint.recover(app.id, endpoint.id, { since }, { idempotencyKey: 'recover-1' });
    expect(await svix.endpoint.recover(app.id, endpoint.id, { since }, { idempotencyKey: 'recover-1' })).toEqual(task);
    expect((await svix.endpoint.recover(app.id, endpoint.id, { since }, { idempotencyKey: 'recover-2' })).id).not.toBe(task.id);

    const message = await svix.message.create(app.id, { eventType: 'order.placed', payload: { n: 1 } }, { idempotencyKey: 'msg-1' });
    const again = await svix.message.create(app.id, { eventType: 'order.placed', payload: { n: 2 } }, { idempotencyKey: 'msg-1' });
    // The SDK fills the answer's payload in from what it sent; the rest is the first message's.
    expect({ ...again, payload: message.payload }).toEqual(message);
    expect((await svix.message.list(app.id)).data.map((m) => m.id)).toEqual([message.id]);
  });

  it('a failure is not kept: the repeat runs again', async () => {
    const { svix, token } = callerOf();
    const taken = await svix.application.create({ name: 'Taken', uid: 'taken' });
    const refused = await gw.request('POST', '/svix/api/v1/app', { name: 'Mine', uid: 'taken' }, { token, headers: { 'idempotency-key': 'retry-me' } });
    expect(refused.status).toBe(409);
    await svix.application.delete(taken.id);
    const created = await gw.request('POST', '/svix/api/v1/app', { name: 'Mine', uid: 'taken' }, { token, headers: { 'idempotency-key': 'retry-me' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Mine', uid: 'taken' });
  });

  it('concurrent requests with one key make one application: the later one waits and answers the first one', async () => {
    const { svix, token } = callerOf();
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) => gw.request('POST', '/svix/api/v1/app', { name: `Racer ${i}` }, { token, headers: { 'idempotency-key': 'race' } })),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect((await svix.application.list()).data).toHaveLength(1);
  });

  it('a repeat while the first request runs waits for its answer, and runs itself if the first fails', async () => {
    const responses = gw.app.get(IdempotentResponses);
    const key = responses.keyOf({ tenant: 't', subject: 's', idempotencyKey: 'wait', method: 'POST', url: '/svix/api/v1/app' });
    expect(await responses.claim(key)).toEqual({ kind: 'claimed' });
    const repeat = responses.claim(key);
    // Still waiting: it cannot settle while the first holds the key (up to 5 s) and has not answered.
    expect(await Promise.race([repeat, new Promise((resolve) => setTimeout(resolve, 500, 'waiting'))])).toBe('waiting');
    await responses.finish(key, { statusCode: 201, body: { id: 'app_first' } });
    expect(await repeat).toEqual({ kind: 'replay', response: { statusCode: 201, body: { id: 'app_first' } } });

    const failing = responses.keyOf({ tenant: 't', subject: 's', idempotencyKey: 'fails', method: 'POST', url: '/svix/api/v1/app' });
    expect(await responses.claim(failing)).toEqual({ kind: 'claimed' });
    const afterFailure = responses.claim(failing);
    await responses.release(failing);
    expect(await afterFailure).toEqual({ kind: 'claimed' });
  });

  it('an answer expires after IDEMPOTENCY_KEY_TTL: the sweep removes it and the key acts anew', async () => {
    const { svix } = callerOf();
    const first = await svix.application.create({ name: 'Ephemeral' }, { idempotencyKey: 'short-lived' });
    expect(await storedAnswers()).toBeGreaterThan(0);
    await eventually(async () => (await storedAnswers()) === 0, 15_000);
    const later = await svix.application.create({ name: 'Ephemeral' }, { idempotencyKey: 'short-lived' });
    expect(later.id).not.toBe(first.id);
  });
});
