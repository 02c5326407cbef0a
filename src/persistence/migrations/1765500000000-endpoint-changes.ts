import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dispatcher asks which endpoints changed lately (updated_at) to keep the rows of deliveries
 * waiting in memory current; (updated_at, id) answers that from the index alone.
 */
export class EndpointChanges1765500000000 implements MigrationInterface {
  name = 'EndpointChanges1765500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE INDEX "idx_endpoints_updated" ON "endpoints" ("updated_at", "id")');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX "idx_endpoints_updated"');
  }
}
