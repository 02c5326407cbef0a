import { MigrationInterface, QueryRunner } from "typeorm";

/** The unified model. Generated from the entities by TypeORM's schema builder for each driver. */
export class InitialSchema1763900000000 implements MigrationInterface {
  name = "InitialSchema1763900000000";

  async up(runner: QueryRunner): Promise<void> {
    const statements = runner.connection.options.type === "postgres" ? POSTGRES : SQLITE;
    for (const sql of statements) await runner.query(sql);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ["api_keys", "oauth_clients", "audit_events", "attempts", "deliveries", "events", "endpoints"]) {
      await runner.query(`DROP TABLE "${table}"`);
    }
  }
}

const SQLITE = [
    "CREATE TABLE \"endpoints\" (\"id\" varchar(64) PRIMARY KEY NOT NULL, \"plugin\" varchar(64), \"tenant\" varchar(255) NOT NULL, \"url\" text NOT NULL, \"event_types\" text NOT NULL, \"filters\" text, \"description\" text, \"metadata\" text, \"secrets_enc\" text NOT NULL, \"headers_enc\" text, \"auth_enc\" text, \"timeout_ms\" integer, \"rate_limit_per_second\" integer, \"enabled\" boolean NOT NULL, \"disabled_by\" varchar(16), \"disabled_reason\" text, \"failing_since\" bigint, \"failure_count\" integer NOT NULL DEFAULT (0), \"created_at\" bigint NOT NULL, \"updated_at\" bigint NOT NULL, \"deleted_at\" bigint)",
    "CREATE INDEX \"idx_endpoints_tenant_plugin\" ON \"endpoints\" (\"tenant\", \"plugin\", \"created_at\") ",
    "CREATE TABLE \"events\" (\"id\" varchar(64) PRIMARY KEY NOT NULL, \"tenant\" varchar(255) NOT NULL, \"plugin\" varchar(64), \"type\" varchar(255) NOT NULL, \"data\" text NOT NULL, \"context\" text, \"idempotency_key\" varchar(255), \"body_hash\" varchar(64), \"created_at\" bigint NOT NULL)",
    "CREATE UNIQUE INDEX \"idx_events_idempotency\" ON \"events\" (\"tenant\", \"idempotency_key\") ",
    "CREATE TABLE \"deliveries\" (\"id\" varchar(64) PRIMARY KEY NOT NULL, \"event_id\" varchar(64) NOT NULL, \"endpoint_id\" varchar(64) NOT NULL, \"tenant\" varchar(255) NOT NULL, \"plugin\" varchar(64), \"status\" varchar(16) NOT NULL, \"attempt_count\" integer NOT NULL DEFAULT (0), \"next_attempt_at\" bigint, \"lease_until\" bigint, \"last_status_code\" integer, \"last_error\" text, \"created_at\" bigint NOT NULL, \"updated_at\" bigint NOT NULL)",
    "CREATE INDEX \"idx_deliveries_tenant\" ON \"deliveries\" (\"tenant\", \"created_at\") ",
    "CREATE INDEX \"idx_deliveries_event\" ON \"deliveries\" (\"event_id\") ",
    "CREATE INDEX \"idx_deliveries_endpoint\" ON \"deliveries\" (\"endpoint_id\", \"created_at\") ",
    "CREATE INDEX \"idx_deliveries_due\" ON \"deliveries\" (\"status\", \"next_attempt_at\") ",
    "CREATE TABLE \"attempts\" (\"id\" varchar(64) PRIMARY KEY NOT NULL, \"delivery_id\" varchar(64) NOT NULL, \"started_at\" bigint NOT NULL, \"duration_ms\" integer NOT NULL, \"status_code\" integer, \"response_body\" text, \"error\" text)",
    "CREATE INDEX \"idx_attempts_delivery\" ON \"attempts\" (\"delivery_id\", \"started_at\") ",
    "CREATE TABLE \"audit_events\" (\"id\" varchar(64) PRIMARY KEY NOT NULL, \"at\" bigint NOT NULL, \"actor\" varchar(255) NOT NULL, \"tenant\" varchar(255) NOT NULL, \"action\" varchar(128) NOT NULL, \"target\" varchar(255) NOT NULL, \"plugin\" varchar(64), \"changes\" text)",
    "CREATE INDEX \"idx_audit_tenant_at\" ON \"audit_events\" (\"tenant\", \"at\") ",
    "CREATE TABLE \"oauth_clients\" (\"id\" varchar(64) PRIMARY KEY NOT NULL, \"name\" varchar(255) NOT NULL, \"secret_hash\" varchar(128) NOT NULL, \"scopes\" text NOT NULL, \"tenant\" varchar(255) NOT NULL, \"org_roles\" text, \"created_at\" bigint NOT NULL, \"revoked_at\" bigint)",
    "CREATE TABLE \"api_keys\" (\"id\" varchar(64) PRIMARY KEY NOT NULL, \"name\" varchar(255), \"key_hash\" varchar(128) NOT NULL, \"tenant\" varchar(255) NOT NULL, \"created_at\" bigint NOT NULL, \"revoked_at\" bigint)",
    "CREATE UNIQUE INDEX \"idx_api_keys_hash\" ON \"api_keys\" (\"key_hash\") ",
];

const POSTGRES = [
    "CREATE TABLE \"endpoints\" (\"id\" character varying(64) NOT NULL, \"plugin\" character varying(64), \"tenant\" character varying(255) NOT NULL, \"url\" text NOT NULL, \"event_types\" text NOT NULL, \"filters\" text, \"description\" text, \"metadata\" text, \"secrets_enc\" text NOT NULL, \"headers_enc\" text, \"auth_enc\" text, \"timeout_ms\" integer, \"rate_limit_per_second\" integer, \"enabled\" boolean NOT NULL, \"disabled_by\" character varying(16), \"disabled_reason\" text, \"failing_since\" bigint, \"failure_count\" integer NOT NULL DEFAULT '0', \"created_at\" bigint NOT NULL, \"updated_at\" bigint NOT NULL, \"deleted_at\" bigint, CONSTRAINT \"PK_70835610dfa54ad5d990e02f70a\" PRIMARY KEY (\"id\"))",
    "CREATE INDEX \"idx_endpoints_tenant_plugin\" ON \"endpoints\" (\"tenant\", \"plugin\", \"created_at\") ",
    "CREATE TABLE \"events\" (\"id\" character varying(64) NOT NULL, \"tenant\" character varying(255) NOT NULL, \"plugin\" character varying(64), \"type\" character varying(255) NOT NULL, \"data\" text NOT NULL, \"context\" text, \"idempotency_key\" character varying(255), \"body_hash\" character varying(64), \"created_at\" bigint NOT NULL, CONSTRAINT \"PK_40731c7151fe4be3116e45ddf73\" PRIMARY KEY (\"id\"))",
    "CREATE UNIQUE INDEX \"idx_events_idempotency\" ON \"events\" (\"tenant\", \"idempotency_key\") ",
    "CREATE TABLE \"deliveries\" (\"id\" character varying(64) NOT NULL, \"event_id\" character varying(64) NOT NULL, \"endpoint_id\" character varying(64) NOT NULL, \"tenant\" character varying(255) NOT NULL, \"plugin\" character varying(64), \"status\" character varying(16) NOT NULL, \"attempt_count\" integer NOT NULL DEFAULT '0', \"next_attempt_at\" bigint, \"lease_until\" bigint, \"last_status_code\" integer, \"last_error\" text, \"created_at\" bigint NOT NULL, \"updated_at\" bigint NOT NULL, CONSTRAINT \"PK_a6ef225c5c5f0974e503bfb731f\" PRIMARY KEY (\"id\"))",
    "CREATE INDEX \"idx_deliveries_tenant\" ON \"deliveries\" (\"tenant\", \"created_at\") ",
    "CREATE INDEX \"idx_deliveries_event\" ON \"deliveries\" (\"event_id\") ",
    "CREATE INDEX \"idx_deliveries_endpoint\" ON \"deliveries\" (\"endpoint_id\", \"created_at\") ",
    "CREATE INDEX \"idx_deliveries_due\" ON \"deliveries\" (\"status\", \"next_attempt_at\") ",
    "CREATE TABLE \"attempts\" (\"id\" character varying(64) NOT NULL, \"delivery_id\" character varying(64) NOT NULL, \"started_at\" bigint NOT NULL, \"duration_ms\" integer NOT NULL, \"status_code\" integer, \"response_body\" text, \"error\" text, CONSTRAINT \"PK_295ca261e361fd2fd217754dcac\" PRIMARY KEY (\"id\"))",
    "CREATE INDEX \"idx_attempts_delivery\" ON \"attempts\" (\"delivery_id\", \"started_at\") ",
    "CREATE TABLE \"audit_events\" (\"id\" character varying(64) NOT NULL, \"at\" bigint NOT NULL, \"actor\" character varying(255) NOT NULL, \"tenant\" character varying(255) NOT NULL, \"action\" character varying(128) NOT NULL, \"target\" character varying(255) NOT NULL, \"plugin\" character varying(64), \"changes\" text, CONSTRAINT \"PK_910f64d901a5c3e9878f0d4a407\" PRIMARY KEY (\"id\"))",
    "CREATE INDEX \"idx_audit_tenant_at\" ON \"audit_events\" (\"tenant\", \"at\") ",
    "CREATE TABLE \"oauth_clients\" (\"id\" character varying(64) NOT NULL, \"name\" character varying(255) NOT NULL, \"secret_hash\" character varying(128) NOT NULL, \"scopes\" text NOT NULL, \"tenant\" character varying(255) NOT NULL, \"org_roles\" text, \"created_at\" bigint NOT NULL, \"revoked_at\" bigint, CONSTRAINT \"PK_c4759172d3431bae6f04e678e0d\" PRIMARY KEY (\"id\"))",
    "CREATE TABLE \"api_keys\" (\"id\" character varying(64) NOT NULL, \"name\" character varying(255), \"key_hash\" character varying(128) NOT NULL, \"tenant\" character varying(255) NOT NULL, \"created_at\" bigint NOT NULL, \"revoked_at\" bigint, CONSTRAINT \"PK_5c8a79801b44bd27b79228e1dad\" PRIMARY KEY (\"id\"))",
    "CREATE UNIQUE INDEX \"idx_api_keys_hash\" ON \"api_keys\" (\"key_hash\") ",
];
