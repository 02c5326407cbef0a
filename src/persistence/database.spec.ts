import { DataSource, EntityManager } from 'typeorm';
import * as sqlite3 from 'sqlite3';
import { Database } from './database';

describe('Database.updateRowsById', () => {
  let mem: sqlite3.Database;
  const query = (sql: string, params: unknown[] = []) => new Promise<unknown[]>((resolve, reject) => mem.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows))));
  const manager = { query } as unknown as EntityManager;
  const db = new Database({ options: { type: 'sqlite' } } as DataSource, 1000);

  beforeEach(async () => {
    mem = new sqlite3.Database(':memory:');
    await query('CREATE TABLE endpoints (id TEXT PRIMARY KEY, failing_since BIGINT, failure_count INTEGER, note TEXT)');
    await query("INSERT INTO endpoints VALUES ('a', 5, 3, 'x'), ('b', NULL, 0, 'y'), ('c', 7, 2, 'z')");
  });
  afterEach(() => mem.close());

  it('sets the values and SQL expressions on the rows with those ids only, nulls included, narrowed by onlyWhere', async () => {
    await db.updateRowsById(manager, 'endpoints', { failing_since: null, note: 'reset' }, { failure_count: 'failure_count * 10' }, ['a', 'b'], 'failing_since IS NOT NULL');
    expect(await query('SELECT * FROM endpoints ORDER BY id')).toEqual([
      { id: 'a', failing_since: null, failure_count: 30, note: 'reset' },
      { id: 'b', failing_since: null, failure_count: 0, note: 'y' },
      { id: 'c', failing_since: 7, failure_count: 2, note: 'z' },
    ]);
  });
});
