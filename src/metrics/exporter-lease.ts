import { QueryRunner } from 'typeorm';
import { Database } from '../persistence/database';

/** Any stable number: the PostgreSQL advisory lock whose holder exports the database-derived gauges. */
const EXPORTER_LOCK = `hashtext('hookgate:metrics-exporter')`;

/**
 * Elects the one process of a deployment that exports the gauges counted from the shared
 * database and queue, so that a dashboard's sum() over every process counts each delivery once.
 * On PostgreSQL it is the holder of a session advisory lock, taken on a connection kept for the
 * purpose: whichever scraped process asks first wins, whatever its ROLE, and when it dies its
 * connection (and the lock) goes with it and the next process asking takes over. SQLite has one
 * process, which always exports.
 */
export class ExporterLease {
  private session: QueryRunner | null = null;

  constructor(private readonly db: Database) {}

  async held(): Promise<boolean> {
    if (this.db.kind !== 'postgres') return true;
    if (this.session) {
      // A session lock lasts as long as its connection: a live connection still holds it.
      if (await this.session.query('SELECT 1').then(() => true, () => false)) return true;
      await this.release();
    }
    const session = this.db.dataSource.createQueryRunner();
    const won = await session.query(`SELECT pg_try_advisory_lock(${EXPORTER_LOCK}) AS won`).then(([row]) => row.won === true, () => false);
    if (won) this.session = session;
    else await session.release().catch(() => undefined);
    return won;
  }

  async release(): Promise<void> {
    const session = this.session;
    this.session = null;
    if (!session) return;
    await session.query(`SELECT pg_advisory_unlock(${EXPORTER_LOCK})`).catch(() => undefined);
    await session.release().catch(() => undefined);
  }
}
