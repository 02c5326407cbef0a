import { MigrationInterface, QueryRunner } from 'typeorm';

/** Retention walks events and audit events oldest first: without these it would scan whole tables. */
export class RetentionIndexes1764900000000 implements MigrationInterface {
  name = 'RetentionIndexes1764900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE INDEX "idx_events_created_at" ON "events" ("created_at")');
    await runner.query('CREATE INDEX "idx_audit_at" ON "audit_events" ("at")');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX "idx_audit_at"');
    await runner.query('DROP INDEX "idx_events_created_at"');
  }
}
