import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateTasks1764028800000 implements MigrationInterface {
  name = 'CreateTasks1764028800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workflow_id uuid NOT NULL DEFAULT gen_random_uuid(),
        tenant_id varchar(100) NOT NULL,
        user_id varchar(200),
        session_id varchar(200),
        type varchar(100) NOT NULL,
        domain varchar(40),
        description text NOT NULL,
        parameters jsonb NOT NULL DEFAULT '{}'::jsonb,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        priority smallint NOT NULL DEFAULT 5 CHECK (priority BETWEEN 1 AND 10),
        data_volume integer NOT NULL DEFAULT 0 CHECK (data_volume >= 0),
        requires_ai boolean NOT NULL DEFAULT false,
        multi_domain boolean NOT NULL DEFAULT false,
        preferred_strategy varchar(40),
        force_crew boolean NOT NULL DEFAULT false,
        async_execution boolean NOT NULL DEFAULT false,
        complexity varchar(20),
        category varchar(40),
        strategy varchar(40),
        decision jsonb,
        status varchar(20) NOT NULL DEFAULT 'pending',
        ai_mode varchar(20),
        result jsonb,
        error text,
        guidance text,
        agents_used jsonb NOT NULL DEFAULT '[]'::jsonb,
        fallback_chain jsonb NOT NULL DEFAULT '[]'::jsonb,
        recommendations jsonb NOT NULL DEFAULT '[]'::jsonb,
        cache_hit boolean NOT NULL DEFAULT false,
        attempts integer NOT NULL DEFAULT 0,
        timeout_s integer NOT NULL,
        callback_url text,
        idempotency_key varchar(200),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        enqueued_at timestamptz(3),
        started_at timestamptz(3),
        finished_at timestamptz(3),
        duration_ms integer,
        queue_wait_ms integer,
        llm_calls integer NOT NULL DEFAULT 0,
        input_tokens integer NOT NULL DEFAULT 0,
        output_tokens integer NOT NULL DEFAULT 0,
        cached_tokens integer NOT NULL DEFAULT 0,
        cost_usd numeric(14, 6) NOT NULL DEFAULT 0,
        cancel_requested_at timestamptz(3),
        worker_id varchar(200),
        CONSTRAINT tasks_status_check CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled', 'timed_out'))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX tasks_workflow_id_key ON tasks (workflow_id)`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX tasks_tenant_idempotency_key ON tasks (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX tasks_tenant_created_idx ON tasks (tenant_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX tasks_tenant_status_idx ON tasks (tenant_id, status)`);
    await queryRunner.query(`CREATE INDEX tasks_tenant_type_idx ON tasks (tenant_id, type)`);
    await queryRunner.query(`CREATE INDEX tasks_status_created_idx ON tasks (status, created_at)`);
    await queryRunner.query(`CREATE INDEX tasks_created_idx ON tasks (created_at)`);

    await queryRunner.query(`
      CREATE TABLE task_steps (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        task_id uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        tenant_id varchar(100) NOT NULL,
        parent_step_id uuid REFERENCES task_steps (id) ON DELETE CASCADE,
        attempt integer NOT NULL DEFAULT 1,
        agent_id varchar(100),
        tier varchar(20),
        kind varchar(20) NOT NULL,
        name varchar(200) NOT NULL,
        status varchar(20) NOT NULL DEFAULT 'running',
        started_at timestamptz(3) NOT NULL DEFAULT now(),
        finished_at timestamptz(3),
        duration_ms integer,
        input_tokens integer NOT NULL DEFAULT 0,
        output_tokens integer NOT NULL DEFAULT 0,
        cached_tokens integer NOT NULL DEFAULT 0,
        cost_usd numeric(14, 6) NOT NULL DEFAULT 0,
        input_summary text,
        output_summary text,
        error text,
        CONSTRAINT task_steps_kind_check CHECK (kind IN ('llm', 'tool', 'delegate', 'direct', 'wait')),
        CONSTRAINT task_steps_status_check CHECK (status IN ('running', 'completed', 'failed', 'degraded', 'cancelled', 'abandoned'))
      )`);
    await queryRunner.query(`CREATE INDEX task_steps_task_idx ON task_steps (task_id, started_at)`);
    await queryRunner.query(`CREATE INDEX task_steps_started_idx ON task_steps (started_at)`);
    await queryRunner.query(`CREATE INDEX task_steps_agent_idx ON task_steps (agent_id, started_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE task_steps`);
    await queryRunner.query(`DROP TABLE tasks`);
  }
}
