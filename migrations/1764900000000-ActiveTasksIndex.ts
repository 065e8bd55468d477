import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The (status, created_at) index serves only the questions about unfinished tasks (the sweeper's running
 * tasks, the oldest pending one): it becomes partial over pending and running rows, and the separate
 * pending-only index goes (this one answers status = 'pending' in created_at order). Finished tasks — nearly
 * every row, and every direct task, which is inserted finished — no longer pay for an entry, and the planner
 * has two indexes fewer to weigh for every tasks query.
 */
export class ActiveTasksIndex1764900000000 implements MigrationInterface {
  name = 'ActiveTasksIndex1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS tasks_status_created_idx`);
    await queryRunner.query(`DROP INDEX IF EXISTS tasks_pending_created_idx`);
    await queryRunner.query(
      `CREATE INDEX tasks_active_status_created_idx ON tasks (status, created_at) WHERE status IN ('pending', 'running')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS tasks_active_status_created_idx`);
    await queryRunner.query(`CREATE INDEX tasks_status_created_idx ON tasks (status, created_at)`);
    await queryRunner.query(`CREATE INDEX tasks_pending_created_idx ON tasks (created_at) WHERE status = 'pending'`);
  }
}
