import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Database } from '../persistence/database';
import { QueueHealth } from './queue-health';

export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, string>;
}

/** Whether this process can serve: database reachable, migrations applied, queue (Redis when configured) up. */
@Injectable()
export class Readiness {
  constructor(
    private readonly db: Database,
    private readonly queue: QueueHealth,
    private readonly config: AppConfig,
  ) {}

  async check(): Promise<ReadinessReport> {
    const checks: Record<string, string> = { role: this.config.ROLE };
    let ok = true;
    try {
      await this.db.manager.query('SELECT 1');
      checks.database = 'up';
      // showMigrations() answers true when a migration has not run yet.
      const pending = await this.db.dataSource.showMigrations();
      checks.migrations = pending ? 'pending' : 'applied';
      ok = !pending;
    } catch {
      checks.database = 'down';
      ok = false;
    }
    const queue = await this.queue.check();
    checks.queue = queue.status;
    ok &&= queue.ok;
    return { status: ok ? 'ok' : 'unavailable', checks };
  }
}
