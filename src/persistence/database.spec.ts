import { DataSource, EntityManager } from 'typeorm';
import * as sqlite3 from 'sqlite3';
import { Database, sqliteLiteral } from './database';

describe('Database writes', () => {
  let mem: sqlite3.Database;
  const query = (sql: string, params: unknown[] = []) => new Promise<unknown[]>((resolve, reject) => mem.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows))));
  const manager = { query, connection: { driver: { get databaseConnection() { return mem; } } } } as unknown as EntityManager;
  const db = new Database({ options: { type: 'sqlite' } } as DataSource, 1000);

  beforeEach(async () => {
    mem = new sqlite3.Database(':memory:');
    await query('CREATE TABLE endpoints (id TEXT PRIMARY KEY, failing_since BIGINT, failure_count INTEGER, note TEXT)');
    await query("INSERT INTO endpoints VALUES ('a', 5, 3, 'x'), ('b', NULL, 0, 'y'), ('c', 7, 2, 'z')");
  });
  afterEach(() => mem.close());

  it('sets the values and SQL expressions on the rows with those ids only, nulls included, narrowed by onlyWhere', async () => {
    await db.write(manager, { update: 'endpoints', values: { failing_since: null, note: 'reset' }, expressions: { failure_count: 'failure_count * 10' }, ids: ['a', 'b'], onlyWhere: 'failing_since IS NOT NULL' });
    expect(await query('SELECT * FROM endpoints ORDER BY id')).toEqual([
      { id: 'a', failing_since: null, failure_count: 30, note: 'reset' },
      { id: 'b', failing_since: null, failure_count: 0, note: 'y' },
      { id: 'c', failing_since: 7, failure_count: 2, note: 'z' },
    ]);
  });

  it('writes inserts and updates as one script, values as literals stored exactly as bound ones would be', async () => {
    const tricky = ["it's", "'); DROP TABLE endpoints; --", 'nul\u0000inside', 'ünï ✓ 🙂', '', '?', '\\'];
    await db.write(
      manager,
      { insert: 'endpoints', columns: ['id', 'failing_since', 'failure_count', 'note'], rows: tricky.map((note, i) => [`t${i}`, 1796487444265 + i, i, note]) },
      { update: 'endpoints', values: { note: "o'clock", failing_since: null }, expressions: { failure_count: 'failure_count + 1' }, ids: ['a', 't0'] },
    );
    const rows = (await query("SELECT id, failing_since, failure_count, note, typeof(failing_since) AS kind FROM endpoints WHERE id LIKE 't%' OR id = 'a' ORDER BY id")) as Record<string, unknown>[];
    expect(rows[0]).toEqual({ id: 'a', failing_since: null, failure_count: 4, note: "o'clock", kind: 'null' });
    expect(rows[1]).toEqual({ id: 't0', failing_since: null, failure_count: 1, note: "o'clock", kind: 'null' });
    expect(rows.slice(2).map((r) => r.note)).toEqual(tricky.slice(1));
    expect(rows.slice(2).map((r) => [r.failing_since, r.kind])).toEqual(tricky.slice(1).map((_, i) => [1796487444266 + i, 'integer']));
    expect(await query('SELECT COUNT(*) AS n FROM endpoints')).toEqual([{ n: 10 }]);
  });

  it('refuses a value it cannot write as a literal rather than guessing', () => {
    expect(sqliteLiteral(true)).toBe('1');
    expect(() => sqliteLiteral(Number.NaN)).toThrow(TypeError);
    expect(() => sqliteLiteral({})).toThrow(TypeError);
  });
});
