import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateBrainAndTenants1764028900000 implements MigrationInterface {
  name = 'CreateBrainAndTenants1764028900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE brain_registrations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        brain_url text NOT NULL,
        crew_system_url text NOT NULL,
        routes jsonb NOT NULL,
        route_count integer NOT NULL,
        manifest_hash varchar(64) NOT NULL,
        status varchar(20) NOT NULL,
        http_status integer,
        response jsonb,
        error text,
        attempts integer NOT NULL DEFAULT 1,
        trigger varchar(20) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT brain_registrations_status_check CHECK (status IN ('registered', 'failed'))
      )`);
    await queryRunner.query(`CREATE INDEX brain_registrations_created_idx ON brain_registrations (created_at DESC)`);

    await queryRunner.query(`
      CREATE TABLE tenant_settings (
        tenant_id varchar(100) PRIMARY KEY,
        subscription_tier varchar(100),
        enabled_features jsonb NOT NULL DEFAULT '[]'::jsonb,
        api_limits jsonb NOT NULL DEFAULT '{}'::jsonb,
        requests_per_minute integer CHECK (requests_per_minute IS NULL OR requests_per_minute >= 0),
        daily_budget_usd numeric(14, 6) CHECK (daily_budget_usd IS NULL OR daily_budget_usd >= 0),
        over_budget_action varchar(20) CHECK (over_budget_action IS NULL OR over_budget_action IN ('refuse', 'downgrade')),
        source_data jsonb NOT NULL DEFAULT '{}'::jsonb,
        synced_at timestamptz(3) NOT NULL DEFAULT now(),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);

    // rate-limiter-flexible's Postgres store: the column order (key, points, expire) is what it inserts.
    await queryRunner.query(`
      CREATE TABLE rate_limit_buckets (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
    await queryRunner.query(`CREATE INDEX rate_limit_buckets_expire_idx ON rate_limit_buckets (expire)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rate_limit_buckets`);
    await queryRunner.query(`DROP TABLE tenant_settings`);
    await queryRunner.query(`DROP TABLE brain_registrations`);
  }
}
