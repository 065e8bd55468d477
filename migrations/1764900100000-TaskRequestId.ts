import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The X-Request-Id of the request that submitted a task, so the lines a worker logs for it name that request. */
export class TaskRequestId1764900100000 implements MigrationInterface {
  name = 'TaskRequestId1764900100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE tasks ADD COLUMN request_id varchar(128)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE tasks DROP COLUMN request_id`);
  }
}
