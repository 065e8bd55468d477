import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The CRM domain's tenant-scoped business tables: customers, leads and deals (DESIGN.md §5, §9). */
export class CreateCrmTables1764029100000 implements MigrationInterface {
  name = 'CreateCrmTables1764029100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE customers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id varchar(100) NOT NULL,
        external_id varchar(200),
        name varchar(200) NOT NULL,
        email varchar(320),
        company varchar(200),
        ltv numeric(14, 2),
        engagement_score double precision CHECK (engagement_score BETWEEN 0 AND 100),
        churn_risk double precision CHECK (churn_risk BETWEEN 0 AND 1),
        engagement_trend double precision CHECK (engagement_trend BETWEEN -100 AND 100),
        last_activity_at timestamptz(3),
        recency_days integer CHECK (recency_days >= 0),
        frequency integer CHECK (frequency >= 0),
        monetary numeric(14, 2) CHECK (monetary >= 0),
        tenure_days integer CHECK (tenure_days >= 0),
        support_tickets integer CHECK (support_tickets >= 0),
        payment_failures integer CHECK (payment_failures >= 0),
        attributes jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (ltv >= 0)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX customers_tenant_external_id ON customers (tenant_id, external_id)`);
    await queryRunner.query(`CREATE INDEX customers_tenant_created_idx ON customers (tenant_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX customers_tenant_email_idx ON customers (tenant_id, lower(email))`);

    await queryRunner.query(`
      CREATE TABLE leads (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id varchar(100) NOT NULL,
        external_id varchar(200),
        email varchar(320) NOT NULL,
        name varchar(200),
        company varchar(200),
        role varchar(200),
        company_size varchar(20),
        engagement_score double precision CHECK (engagement_score BETWEEN 0 AND 100),
        website_visits integer CHECK (website_visits >= 0),
        demo_requested boolean,
        pricing_page_visits integer CHECK (pricing_page_visits >= 0),
        content_downloads integer CHECK (content_downloads >= 0),
        last_activity_at timestamptz(3),
        source varchar(100),
        status varchar(20) NOT NULL DEFAULT 'new',
        score double precision CHECK (score BETWEEN 0 AND 100),
        grade char(1),
        scored_at timestamptz(3),
        attributes jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX leads_tenant_external_id ON leads (tenant_id, external_id)`);
    await queryRunner.query(`CREATE INDEX leads_tenant_created_idx ON leads (tenant_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX leads_tenant_status_idx ON leads (tenant_id, status)`);

    await queryRunner.query(`
      CREATE TABLE deals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id varchar(100) NOT NULL,
        external_id varchar(200),
        name varchar(200) NOT NULL,
        stage varchar(50) NOT NULL,
        amount numeric(14, 2) NOT NULL DEFAULT 0 CHECK (amount >= 0),
        currency char(3),
        probability double precision CHECK (probability BETWEEN 0 AND 1),
        customer_id uuid REFERENCES customers (id) ON DELETE SET NULL,
        lead_id uuid REFERENCES leads (id) ON DELETE SET NULL,
        expected_close_date date,
        days_in_stage integer CHECK (days_in_stage >= 0),
        attributes jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX deals_tenant_external_id ON deals (tenant_id, external_id)`);
    await queryRunner.query(`CREATE INDEX deals_tenant_created_idx ON deals (tenant_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX deals_tenant_stage_idx ON deals (tenant_id, stage)`);
    await queryRunner.query(`CREATE INDEX deals_customer_idx ON deals (customer_id)`);
    await queryRunner.query(`CREATE INDEX deals_lead_idx ON deals (lead_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE deals`);
    await queryRunner.query(`DROP TABLE leads`);
    await queryRunner.query(`DROP TABLE customers`);
  }
}
