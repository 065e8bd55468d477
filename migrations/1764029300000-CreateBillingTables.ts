import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The billing domain's tenant-scoped tables: subscriptions with their MRR history, invoices and payment
 * attempts. Foreign keys include tenant_id, so a row can never point at another tenant's row.
 */
export class CreateBillingTables1764029300000 implements MigrationInterface {
  name = 'CreateBillingTables1764029300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE subscriptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id varchar(100) NOT NULL,
        external_id varchar(200),
        customer_ref varchar(200) NOT NULL,
        plan varchar(100) NOT NULL,
        mrr numeric(14, 2) NOT NULL CHECK (mrr >= 0),
        seats integer NOT NULL DEFAULT 1 CHECK (seats >= 0),
        discount_pct numeric(5, 2) NOT NULL DEFAULT 0 CHECK (discount_pct BETWEEN 0 AND 100),
        discount_ends_at timestamptz(3),
        status varchar(20) NOT NULL DEFAULT 'active',
        started_at timestamptz(3) NOT NULL DEFAULT now(),
        cancelled_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT subscriptions_status_check CHECK (status IN ('trialing', 'active', 'past_due', 'paused', 'cancelled')),
        CONSTRAINT subscriptions_cancelled_check CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
        CONSTRAINT subscriptions_tenant_id_key UNIQUE (tenant_id, id),
        CONSTRAINT subscriptions_tenant_external_id_key UNIQUE (tenant_id, external_id)
      )`);
    await queryRunner.query(`CREATE INDEX subscriptions_tenant_created_idx ON subscriptions (tenant_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX subscriptions_tenant_customer_idx ON subscriptions (tenant_id, customer_ref)`);
    await queryRunner.query(`CREATE INDEX subscriptions_tenant_status_idx ON subscriptions (tenant_id, status)`);

    await queryRunner.query(`
      CREATE TABLE subscription_changes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id varchar(100) NOT NULL,
        subscription_id uuid NOT NULL,
        customer_ref varchar(200) NOT NULL,
        effective_at timestamptz(3) NOT NULL,
        mrr_before numeric(14, 2) NOT NULL CHECK (mrr_before >= 0),
        mrr_after numeric(14, 2) NOT NULL CHECK (mrr_after >= 0),
        reason varchar(20) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT subscription_changes_reason_check CHECK (reason IN ('created', 'updated', 'cancelled')),
        CONSTRAINT subscription_changes_subscription_fkey FOREIGN KEY (tenant_id, subscription_id)
          REFERENCES subscriptions (tenant_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX subscription_changes_tenant_effective_idx ON subscription_changes (tenant_id, effective_at)`);
    await queryRunner.query(
      `CREATE INDEX subscription_changes_subscription_idx ON subscription_changes (subscription_id, effective_at, created_at)`,
    );

    await queryRunner.query(`
      CREATE TABLE invoices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id varchar(100) NOT NULL,
        external_id varchar(200),
        subscription_id uuid,
        customer_ref varchar(200) NOT NULL,
        amount numeric(14, 2) NOT NULL CHECK (amount >= 0),
        issued_at timestamptz(3) NOT NULL,
        due_at timestamptz(3),
        status varchar(20) NOT NULL DEFAULT 'open',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT invoices_status_check CHECK (status IN ('draft', 'open', 'paid', 'void', 'uncollectible')),
        CONSTRAINT invoices_tenant_id_key UNIQUE (tenant_id, id),
        CONSTRAINT invoices_tenant_external_id_key UNIQUE (tenant_id, external_id),
        CONSTRAINT invoices_subscription_fkey FOREIGN KEY (tenant_id, subscription_id)
          REFERENCES subscriptions (tenant_id, id) ON DELETE RESTRICT
      )`);
    await queryRunner.query(`CREATE INDEX invoices_tenant_created_idx ON invoices (tenant_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX invoices_tenant_status_idx ON invoices (tenant_id, status)`);
    await queryRunner.query(`CREATE INDEX invoices_subscription_idx ON invoices (subscription_id)`);

    await queryRunner.query(`
      CREATE TABLE payments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id varchar(100) NOT NULL,
        external_id varchar(200),
        invoice_id uuid NOT NULL,
        amount numeric(14, 2) NOT NULL CHECK (amount > 0),
        status varchar(20) NOT NULL,
        failure_code varchar(100),
        attempted_at timestamptz(3) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT payments_status_check CHECK (status IN ('pending', 'succeeded', 'failed', 'refunded')),
        CONSTRAINT payments_failure_code_check CHECK (status = 'failed' OR failure_code IS NULL),
        CONSTRAINT payments_tenant_external_id_key UNIQUE (tenant_id, external_id),
        CONSTRAINT payments_invoice_fkey FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX payments_tenant_created_idx ON payments (tenant_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX payments_invoice_idx ON payments (invoice_id, attempted_at)`);
    await queryRunner.query(`CREATE INDEX payments_tenant_status_idx ON payments (tenant_id, status)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE payments`);
    await queryRunner.query(`DROP TABLE invoices`);
    await queryRunner.query(`DROP TABLE subscription_changes`);
    await queryRunner.query(`DROP TABLE subscriptions`);
  }
}
