import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The e-commerce domain's tenant-scoped tables: products, orders with their lines, and the inventory
 * ledger. Foreign keys include tenant_id, so a row can never point at another tenant's row.
 */
export class CreateEcommerceTables1764029200000 implements MigrationInterface {
  name = 'CreateEcommerceTables1764029200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE products (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id varchar(100) NOT NULL,
        external_id varchar(200),
        sku varchar(100) NOT NULL,
        name varchar(300) NOT NULL,
        price numeric(14, 2) NOT NULL CHECK (price >= 0),
        cost numeric(14, 2) CHECK (cost >= 0),
        stock_on_hand integer NOT NULL DEFAULT 0 CHECK (stock_on_hand >= 0),
        lead_time_days integer NOT NULL DEFAULT 7 CHECK (lead_time_days BETWEEN 0 AND 365),
        ordering_cost numeric(14, 2) NOT NULL DEFAULT 0 CHECK (ordering_cost >= 0),
        holding_cost_rate numeric(6, 4) NOT NULL DEFAULT 0.25 CHECK (holding_cost_rate BETWEEN 0 AND 10),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT products_tenant_id_key UNIQUE (tenant_id, id),
        CONSTRAINT products_tenant_sku_key UNIQUE (tenant_id, sku),
        CONSTRAINT products_tenant_external_id_key UNIQUE (tenant_id, external_id)
      )`);
    await queryRunner.query(`CREATE INDEX products_tenant_created_idx ON products (tenant_id, created_at DESC, id DESC)`);

    await queryRunner.query(`
      CREATE TABLE orders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id varchar(100) NOT NULL,
        external_id varchar(200),
        customer_ref varchar(200) NOT NULL,
        ordered_at timestamptz(3) NOT NULL,
        status varchar(20) NOT NULL DEFAULT 'paid',
        total numeric(14, 2) NOT NULL DEFAULT 0 CHECK (total >= 0),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT orders_status_check CHECK (status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded')),
        CONSTRAINT orders_tenant_id_key UNIQUE (tenant_id, id),
        CONSTRAINT orders_tenant_external_id_key UNIQUE (tenant_id, external_id)
      )`);
    await queryRunner.query(`CREATE INDEX orders_tenant_created_idx ON orders (tenant_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX orders_tenant_ordered_idx ON orders (tenant_id, ordered_at)`);
    await queryRunner.query(`CREATE INDEX orders_tenant_customer_idx ON orders (tenant_id, customer_ref)`);

    await queryRunner.query(`
      CREATE TABLE order_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id varchar(100) NOT NULL,
        order_id uuid NOT NULL,
        line_no integer NOT NULL CHECK (line_no >= 1),
        product_id uuid NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        unit_price numeric(14, 2) NOT NULL CHECK (unit_price >= 0),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT order_items_order_line_key UNIQUE (order_id, line_no),
        CONSTRAINT order_items_order_fkey FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id) ON DELETE CASCADE,
        CONSTRAINT order_items_product_fkey FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id) ON DELETE RESTRICT
      )`);
    await queryRunner.query(`CREATE INDEX order_items_tenant_product_idx ON order_items (tenant_id, product_id)`);

    await queryRunner.query(`
      CREATE TABLE inventory_movements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id varchar(100) NOT NULL,
        product_id uuid NOT NULL,
        order_id uuid REFERENCES orders (id) ON DELETE SET NULL,
        quantity_change integer NOT NULL CHECK (quantity_change <> 0),
        reason varchar(20) NOT NULL,
        stock_after integer NOT NULL CHECK (stock_after >= 0),
        note varchar(500),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT inventory_movements_reason_check CHECK (reason IN ('sale', 'receipt', 'adjustment', 'return', 'damage')),
        CONSTRAINT inventory_movements_product_fkey FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX inventory_movements_tenant_product_idx ON inventory_movements (tenant_id, product_id, created_at DESC)`,
    );
    await queryRunner.query(`CREATE INDEX inventory_movements_order_idx ON inventory_movements (order_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE inventory_movements`);
    await queryRunner.query(`DROP TABLE order_items`);
    await queryRunner.query(`DROP TABLE orders`);
    await queryRunner.query(`DROP TABLE products`);
  }
}
