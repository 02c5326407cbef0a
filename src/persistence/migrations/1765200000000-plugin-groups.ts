import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What an endpoint or an event belongs to within its plugin (a Svix application): an indexed key,
 * so a plugin lists an application's endpoints and messages page by page, and deletes them with it.
 */
export class PluginGroups1765200000000 implements MigrationInterface {
  name = 'PluginGroups1765200000000';

  async up(runner: QueryRunner): Promise<void> {
    const varchar = runner.connection.options.type === 'postgres' ? 'character varying' : 'varchar';
    for (const table of ['endpoints', 'events']) {
      await runner.query(`ALTER TABLE "${table}" ADD COLUMN "group_key" ${varchar}(255)`);
      await runner.query(`CREATE INDEX "idx_${table}_group" ON "${table}" ("tenant", "plugin", "group_key", "created_at")`);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['endpoints', 'events']) {
      await runner.query(`DROP INDEX "idx_${table}_group"`);
      await runner.query(`ALTER TABLE "${table}" DROP COLUMN "group_key"`);
    }
  }
}
