import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Alerts, the runtime monitoring switch, and the routing overrides the optimizer applies. */
export class CreateMonitoring1764288000000 implements MigrationInterface {
  name = 'CreateMonitoring1764288000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        level varchar(10) NOT NULL,
        metric_type varchar(40) NOT NULL,
        message text NOT NULL,
        current_value double precision NOT NULL,
        threshold double precision NOT NULL,
        window_minutes integer NOT NULL,
        affected_components jsonb NOT NULL DEFAULT '[]'::jsonb,
        suggested_actions jsonb NOT NULL DEFAULT '[]'::jsonb,
        webhook_status varchar(20) NOT NULL DEFAULT 'not_configured',
        webhook_attempts integer NOT NULL DEFAULT 0,
        instance_id varchar(200),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT alerts_level_check CHECK (level IN ('warning', 'error', 'critical')),
        CONSTRAINT alerts_webhook_status_check CHECK (webhook_status IN ('not_configured', 'pending', 'delivered', 'failed'))
      )`);
    await queryRunner.query(`CREATE INDEX alerts_created_idx ON alerts (created_at DESC)`);
    await queryRunner.query(`CREATE INDEX alerts_metric_level_created_idx ON alerts (metric_type, level, created_at DESC)`);

    await queryRunner.query(`
      CREATE TABLE monitoring_settings (
        id smallint PRIMARY KEY DEFAULT 1,
        alerts_active boolean NOT NULL,
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT monitoring_settings_single_row CHECK (id = 1)
      )`);

    await queryRunner.query(`
      CREATE TABLE routing_overrides (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_type varchar(100),
        from_strategy varchar(40) NOT NULL,
        to_strategy varchar(40) NOT NULL,
        reason text NOT NULL,
        evidence jsonb NOT NULL DEFAULT '{}'::jsonb,
        source varchar(40) NOT NULL DEFAULT 'optimizer',
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        revoked_at timestamptz(3),
        CONSTRAINT routing_overrides_distinct_check CHECK (from_strategy <> to_strategy)
      )`);
    // One active override per (task type or "all types", strategy).
    await queryRunner.query(
      `CREATE UNIQUE INDEX routing_overrides_active_key ON routing_overrides ((COALESCE(task_type, '')), from_strategy) WHERE active`,
    );
    // Window queries of the summary and the optimizer.
    await queryRunner.query(`CREATE INDEX tasks_pending_created_idx ON tasks (created_at) WHERE status = 'pending'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX tasks_pending_created_idx`);
    await queryRunner.query(`DROP TABLE routing_overrides`);
    await queryRunner.query(`DROP TABLE monitoring_settings`);
    await queryRunner.query(`DROP TABLE alerts`);
  }
}
