import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `tasks.parameters` as `json` instead of `jsonb`: jsonb reorders object keys, and some parameters are
 * ordered maps (e.g. pipeline stages in funnel order) that a queued task reads back from the row.
 */
export class TaskParametersJson1764029050000 implements MigrationInterface {
  name = 'TaskParametersJson1764029050000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE tasks ALTER COLUMN parameters DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE tasks ALTER COLUMN parameters TYPE json USING parameters::json`);
    await queryRunner.query(`ALTER TABLE tasks ALTER COLUMN parameters SET DEFAULT '{}'::json`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE tasks ALTER COLUMN parameters DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE tasks ALTER COLUMN parameters TYPE jsonb USING parameters::jsonb`);
    await queryRunner.query(`ALTER TABLE tasks ALTER COLUMN parameters SET DEFAULT '{}'::jsonb`);
  }
}
