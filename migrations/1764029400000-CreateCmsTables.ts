import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The CMS domain's content items (DESIGN.md §9): tenant-scoped, slug unique per tenant. */
export class CreateCmsTables1764029400000 implements MigrationInterface {
  name = 'CreateCmsTables1764029400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE content_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id varchar(100) NOT NULL,
        -- Set for items imported by cms_sync_content (the upstream's id); null for items created here.
        external_id varchar(200),
        title varchar(300) NOT NULL,
        slug varchar(200) NOT NULL,
        body text NOT NULL DEFAULT '',
        format varchar(10) NOT NULL DEFAULT 'markdown',
        meta_description varchar(500),
        keywords jsonb NOT NULL DEFAULT '[]'::jsonb,
        status varchar(20) NOT NULL DEFAULT 'draft',
        published_at timestamptz(3),
        author varchar(200),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT content_items_status_check CHECK (status IN ('draft', 'published')),
        CONSTRAINT content_items_format_check CHECK (format IN ('markdown', 'html')),
        CONSTRAINT content_items_published_at_check CHECK (status = 'draft' OR published_at IS NOT NULL)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX content_items_tenant_slug_key ON content_items (tenant_id, slug)`);
    // NULLs are distinct, so locally created items (no external_id) never collide.
    await queryRunner.query(`CREATE UNIQUE INDEX content_items_tenant_external_key ON content_items (tenant_id, external_id)`);
    await queryRunner.query(`CREATE INDEX content_items_tenant_created_idx ON content_items (tenant_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX content_items_tenant_status_idx ON content_items (tenant_id, status)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE content_items`);
  }
}
