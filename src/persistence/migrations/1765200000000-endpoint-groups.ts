import { MigrationInterface, QueryRunner } from 'typeorm';

/** An endpoint's group within its plugin (a Svix application): an indexed key to list and delete by. */
export class EndpointGroups1765200000000 implements MigrationInterface {
  name = 'EndpointGroups1765200000000';

  async up(runner: QueryRunner): Promise<void> {
    const varchar = runner.connection.options.type === 'postgres' ? 'character varying' : 'varchar';
    await runner.query(`ALTER TABLE "endpoints" ADD COLUMN "group_key" ${varchar}(255)`);
    await runner.query('CREATE INDEX "idx_endpoints_group" ON "endpoints" ("tenant", "plugin", "group_key", "created_at")');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX "idx_endpoints_group"');
    await runner.query('ALTER TABLE "endpoints" DROP COLUMN "group_key"');
  }
}
