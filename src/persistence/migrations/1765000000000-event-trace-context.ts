import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each event keeps its publisher's trace context, so retries in any worker join the same trace. */
export class EventTraceContext1765000000000 implements MigrationInterface {
  name = 'EventTraceContext1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE "events" ADD COLUMN "trace_context" text');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE "events" DROP COLUMN "trace_context"');
  }
}
