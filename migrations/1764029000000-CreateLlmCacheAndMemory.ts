import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The LLM response cache, agent memory and the shared MAX_RPM limiter's counters (DESIGN.md §5, §8). */
export class CreateLlmCacheAndMemory1764029000000 implements MigrationInterface {
  name = 'CreateLlmCacheAndMemory1764029000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE llm_cache (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id varchar(100) NOT NULL,
        key char(64) NOT NULL,
        model varchar(200) NOT NULL,
        response jsonb NOT NULL,
        input_tokens integer NOT NULL DEFAULT 0,
        output_tokens integer NOT NULL DEFAULT 0,
        cached_tokens integer NOT NULL DEFAULT 0,
        cost_usd numeric(14, 6) NOT NULL DEFAULT 0,
        hits integer NOT NULL DEFAULT 0,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        last_hit_at timestamptz(3),
        expires_at timestamptz(3) NOT NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX llm_cache_tenant_key ON llm_cache (tenant_id, key)`);
    await queryRunner.query(`CREATE INDEX llm_cache_expires_idx ON llm_cache (expires_at)`);

    await queryRunner.query(`
      CREATE TABLE agent_memory (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- Insertion order, for evicting the oldest exactly even when timestamps tie.
        seq bigint GENERATED ALWAYS AS IDENTITY,
        tenant_id varchar(100) NOT NULL,
        agent_id varchar(100) NOT NULL,
        task_id uuid REFERENCES tasks (id) ON DELETE SET NULL,
        summary text NOT NULL,
        search tsvector GENERATED ALWAYS AS (to_tsvector('english', summary)) STORED,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX agent_memory_tenant_agent_seq_idx ON agent_memory (tenant_id, agent_id, seq DESC)`);
    await queryRunner.query(`CREATE INDEX agent_memory_search_idx ON agent_memory USING gin (search)`);

    // rate-limiter-flexible's RateLimiterPostgres layout (tableCreated: true, so it never runs DDL itself).
    await queryRunner.query(`
      CREATE TABLE llm_rate_limits (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE llm_rate_limits`);
    await queryRunner.query(`DROP TABLE agent_memory`);
    await queryRunner.query(`DROP TABLE llm_cache`);
  }
}
