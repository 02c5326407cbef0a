import { MigrationInterface, QueryRunner } from 'typeorm';

/** Plugin-owned records (PluginRecords in the SDK): what a provider stores beyond endpoints and events. */
export class PluginRecords1765100000000 implements MigrationInterface {
  name = 'PluginRecords1765100000000';

  async up(runner: QueryRunner): Promise<void> {
    const varchar = runner.connection.options.type === 'postgres' ? 'character varying' : 'varchar';
    await runner.query(
      `CREATE TABLE "plugin_records" ("id" ${varchar}(64) NOT NULL PRIMARY KEY, "plugin" ${varchar}(64) NOT NULL, "tenant" ${varchar}(255) NOT NULL, "kind" ${varchar}(64) NOT NULL, "uid" ${varchar}(255), "body" text NOT NULL, "created_at" bigint NOT NULL, "updated_at" bigint NOT NULL)`,
    );
    // NULL uids never collide (both databases treat NULLs as distinct in a unique index).
    await runner.query('CREATE UNIQUE INDEX "idx_plugin_records_uid" ON "plugin_records" ("plugin", "tenant", "kind", "uid")');
    await runner.query('CREATE INDEX "idx_plugin_records_list" ON "plugin_records" ("plugin", "kind", "tenant", "created_at")');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE "plugin_records"');
  }
}
