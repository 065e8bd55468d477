import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The integrations domain (DESIGN.md §9): connections to upstream APIs, a record of every sync run, and the
 * staging table the syncs import into (keyed by tenant, connection and the upstream's id).
 */
export class CreateIntegrationsTables1764029500000 implements MigrationInterface {
  name = 'CreateIntegrationsTables1764029500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE integration_connections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id varchar(100) NOT NULL,
        name varchar(100) NOT NULL,
        base_url varchar(2000) NOT NULL,
        -- The NAME of an environment variable holding the auth header's value; never the secret itself.
        auth_header_ref varchar(128),
        auth_header_name varchar(100) NOT NULL DEFAULT 'Authorization',
        schedule varchar(100),
        target_domain varchar(40) NOT NULL,
        timeout_ms integer NOT NULL DEFAULT 10000 CHECK (timeout_ms BETWEEN 100 AND 120000),
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT integration_connections_target_check CHECK (target_domain IN ('crm', 'ecommerce', 'analytics', 'billing', 'cms'))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX integration_connections_tenant_name_key ON integration_connections (tenant_id, name)`);
    await queryRunner.query(
      `CREATE INDEX integration_connections_tenant_created_idx ON integration_connections (tenant_id, created_at DESC, id DESC)`,
    );

    await queryRunner.query(`
      CREATE TABLE sync_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id varchar(100) NOT NULL,
        connection_id uuid NOT NULL REFERENCES integration_connections (id) ON DELETE CASCADE,
        task_id uuid,
        url varchar(2100) NOT NULL,
        started_at timestamptz(3) NOT NULL,
        finished_at timestamptz(3) NOT NULL,
        duration_ms integer NOT NULL,
        status varchar(20) NOT NULL,
        attempts integer NOT NULL DEFAULT 1,
        http_status integer,
        records integer NOT NULL DEFAULT 0,
        inserted integer NOT NULL DEFAULT 0,
        updated integer NOT NULL DEFAULT 0,
        unchanged integer NOT NULL DEFAULT 0,
        error_class varchar(20),
        error text,
        CONSTRAINT sync_runs_status_check CHECK (status IN ('succeeded', 'failed', 'cancelled')),
        CONSTRAINT sync_runs_error_class_check CHECK (
          error_class IS NULL OR error_class IN
            ('timeout', 'network', 'rate_limited', 'http_4xx', 'http_5xx', 'http_other', 'malformed', 'config', 'cancelled')
        )
      )`);
    await queryRunner.query(`CREATE INDEX sync_runs_tenant_started_idx ON sync_runs (tenant_id, started_at DESC)`);
    await queryRunner.query(`CREATE INDEX sync_runs_connection_started_idx ON sync_runs (connection_id, started_at DESC)`);

    await queryRunner.query(`
      CREATE TABLE integration_records (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id varchar(100) NOT NULL,
        connection_id uuid NOT NULL REFERENCES integration_connections (id) ON DELETE CASCADE,
        target_domain varchar(40) NOT NULL,
        external_id varchar(200) NOT NULL,
        data jsonb NOT NULL,
        -- The run that last wrote the record (kept when old runs are purged).
        sync_run_id uuid REFERENCES sync_runs (id) ON DELETE SET NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX integration_records_tenant_connection_external_key ON integration_records (tenant_id, connection_id, external_id)`,
    );
    await queryRunner.query(`CREATE INDEX integration_records_tenant_created_idx ON integration_records (tenant_id, created_at DESC)`);
    await queryRunner.query(`CREATE INDEX integration_records_sync_run_idx ON integration_records (sync_run_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE integration_records`);
    await queryRunner.query(`DROP TABLE sync_runs`);
    await queryRunner.query(`DROP TABLE integration_connections`);
  }
}
