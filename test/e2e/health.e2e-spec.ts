import { DataSource } from 'typeorm';
import { useGateway } from '../support/fixture';

describe('health checks for orchestrators (/health/live, /health/ready, /health)', () => {
  const gw = useGateway();
  let db: DataSource;
  beforeAll(() => {
    db = gw.app.get(DataSource);
  });

  it('a ready gateway answers 200 on all three without credentials, ready listing its checks', async () => {
    expect(await gw.request('GET', '/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
    for (const path of ['/health/ready', '/health']) {
      const res = await gw.request('GET', path);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok', checks: { role: 'all', database: 'up', migrations: 'applied', queue: 'embedded' } });
    }
  });

  it('a migration not applied makes ready 503 (migrations: pending) while live stays 200', async () => {
    const [last] = await db.query('SELECT * FROM migrations ORDER BY id DESC LIMIT 1');
    await db.query(`DELETE FROM migrations WHERE id = ${Number(last.id)}`);
    try {
      const ready = await gw.request('GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ status: 'unavailable', checks: { database: 'up', migrations: 'pending' } });
      expect((await gw.request('GET', '/health')).status).toBe(503);
      expect((await gw.request('GET', '/health/live')).status).toBe(200);
    } finally {
      await db.createQueryBuilder().insert().into('migrations', ['id', 'timestamp', 'name']).values(last).execute();
    }
    expect((await gw.request('GET', '/health/ready')).status).toBe(200);
  });

  it('an unreachable database makes ready 503 (database: down) while live stays 200', async () => {
    await db.destroy();
    try {
      const ready = await gw.request('GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ status: 'unavailable', checks: { database: 'down' } });
      expect((await gw.request('GET', '/health/live')).status).toBe(200);
    } finally {
      await db.initialize();
    }
    expect((await gw.request('GET', '/health/ready')).status).toBe(200);
  });
});
