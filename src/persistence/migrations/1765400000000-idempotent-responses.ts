import { MigrationInterface, QueryRunner } from 'typeorm';

/** Answers replayed to a POST repeated with the same idempotency-key (`@Operation({ idempotent: true })`). */
export class IdempotentResponses1765400000000 implements MigrationInterface {
  name = 'IdempotentResponses1765400000000';

  async up(runner: QueryRunner): Promise<void> {
    const varchar = runner.connection.options.type === 'postgres' ? 'character varying' : 'varchar';
    await runner.query(
      `CREATE TABLE "idempotent_responses" ("key" ${varchar}(64) NOT NULL PRIMARY KEY, "status_code" integer, "response" text, "created_at" bigint NOT NULL, "expires_at" bigint NOT NULL)`,
    );
    // The retention sweep removes expired answers by this index.
    await runner.query('CREATE INDEX "idx_idempotent_responses_expiry" ON "idempotent_responses" ("expires_at")');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE "idempotent_responses"');
  }
}
