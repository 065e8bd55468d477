import type { EntityManager } from 'typeorm';
import { ConflictProblem, NotFoundProblem } from '../../../common/problem.js';
import { array, bool, describes, int, nullable, num, object, str } from '../../../tasks/result-schema.js';
import type { TaskTypeDefinition } from '../../../tasks/task-type.js';
import {
  AdjustInventoryParams,
  CreateProductParams,
  ProductListParams,
  ProductLocatorParams,
  UpdateProductParams,
} from '../dto/product.params.js';
import { type MovementDto, type ProductDto, toMovementDto, toProductDto } from '../dto/ecommerce.mappers.js';
import { InventoryMovementEntity, type MovementReason } from '../entities/inventory-movement.entity.js';
import { OrderItemEntity } from '../entities/order-item.entity.js';
import { ProductEntity } from '../entities/product.entity.js';
import { isUniqueViolation } from '../../shared/db-errors.js';
import { directDbType, type ListPage, listSchema, pageOf } from '../../shared/task-kit.js';

const PRODUCT_FIELDS = {
  product_id: str({ format: 'uuid' }),
  sku: str(),
  name: str(),
  price: num(),
  cost: nullable(num()),
  stock_on_hand: int(),
  lead_time_days: int(),
  ordering_cost: num(),
  holding_cost_rate: num(),
  active: bool(),
  external_id: nullable(str()),
  created_at: str({ format: 'date-time' }),
  updated_at: str({ format: 'date-time' }),
};

const PRODUCT_OPTIONAL = [
  'cost',
  'lead_time_days',
  'ordering_cost',
  'holding_cost_rate',
  'active',
  'external_id',
  'created_at',
  'updated_at',
] as const;

export const PRODUCT_SCHEMA = describes<ProductDto>()(object(PRODUCT_FIELDS, { optional: PRODUCT_OPTIONAL }));

const MOVEMENT_SCHEMA = describes<MovementDto>()(
  object(
    {
      movement_id: str({ format: 'uuid' }),
      product_id: str({ format: 'uuid' }),
      order_id: nullable(str({ format: 'uuid' })),
      quantity_change: int(),
      reason: str(),
      stock_after: int(),
      note: nullable(str()),
      created_at: str({ format: 'date-time' }),
    },
    { optional: ['movement_id', 'product_id', 'order_id', 'quantity_change', 'reason', 'stock_after', 'note', 'created_at'] },
  ),
);

/** A product with its latest inventory movements (get_product). */
export type ProductWithMovements = ProductDto & { recent_movements: MovementDto[] };

export interface ProductDeleted {
  deleted: true;
  product_id: string;
  sku: string;
}

export interface InventoryAdjusted {
  product_id: string;
  sku: string;
  stock_on_hand: number;
  movement: MovementDto;
}

const RECENT_MOVEMENTS = 20;

/** The tenant's product by id or SKU; another tenant's product is not found. */
export async function findProduct(manager: EntityManager, tenantId: string, locator: ProductLocatorParams): Promise<ProductEntity> {
  const where = locator.product_id ? { tenantId, id: locator.product_id } : { tenantId, sku: locator.sku as string };
  const product = await manager.getRepository(ProductEntity).findOneBy(where);
  if (!product) {
    throw new NotFoundProblem(
      locator.product_id ? `No product ${locator.product_id} for this tenant.` : `No product with SKU ${locator.sku} for this tenant.`,
    );
  }
  return product;
}

const oneLocator = (p: ProductLocatorParams) =>
  (p.product_id === undefined) === (p.sku === undefined) ? [{ field: '', message: 'give exactly one of product_id and sku' }] : [];

function skuTaken(sku: string): ConflictProblem {
  return new ConflictProblem(`A product with SKU ${sku} already exists for this tenant.`, { sku });
}

/** Writes a stock change and its ledger row; refuses a change that would take the stock below zero. */
export async function moveStock(
  manager: EntityManager,
  tenantId: string,
  product: Pick<ProductEntity, 'id' | 'sku'>,
  change: number,
  reason: MovementReason,
  extra: { orderId?: string; note?: string } = {},
): Promise<InventoryMovementEntity> {
  // One conditional UPDATE: concurrent changes cannot take the stock below zero.
  const updated = await manager
    .createQueryBuilder()
    .update(ProductEntity)
    .set({ stockOnHand: () => 'stock_on_hand + :change', updatedAt: () => 'now()' })
    .where('tenant_id = :tenantId AND id = :id AND stock_on_hand + :change >= 0', { tenantId, id: product.id, change })
    .returning('stock_on_hand')
    .execute();
  const rows = updated.raw as { stock_on_hand: number }[];
  if (rows.length === 0) {
    const current = await manager.getRepository(ProductEntity).findOneBy({ tenantId, id: product.id });
    if (!current) throw new NotFoundProblem(`No product ${product.id} for this tenant.`);
    throw new ConflictProblem(
      `Not enough stock of ${product.sku}: ${current.stockOnHand} on hand, ${-change} needed; nothing was changed.`,
      { sku: product.sku, stock_on_hand: current.stockOnHand, requested: -change },
    );
  }
  return manager.getRepository(InventoryMovementEntity).save({
    tenantId,
    productId: product.id,
    orderId: extra.orderId ?? null,
    quantityChange: change,
    reason,
    stockAfter: Number(rows[0].stock_on_hand),
    note: extra.note ?? null,
  });
}

export function productTaskTypes(): TaskTypeDefinition[] {
  return [
    directDbType<ProductListParams, ListPage<'products', ProductDto>>('ecommerce', {
      type: 'get_product_list',
      description: "Lists the tenant's products, newest first; filter by SKU/name text or active flag.",
      parameters: ProductListParams,
      resultSchema: listSchema('products', PRODUCT_SCHEMA),
      run: async (context, p) => {
        const { limit, offset } = pageOf(p);
        const query = context.manager
          .getRepository(ProductEntity)
          .createQueryBuilder('product')
          .where('product.tenant_id = :tenantId', { tenantId: context.tenantId })
          .orderBy('product.created_at', 'DESC')
          .addOrderBy('product.id', 'DESC')
          .take(limit)
          .skip(offset);
        if (p.search) {
          query.andWhere('(product.sku ILIKE :search OR product.name ILIKE :search)', {
            search: `%${p.search.replace(/[\\%_]/g, '\\$&')}%`,
          });
        }
        if (p.active !== undefined) query.andWhere('product.active = :active', { active: p.active });
        const [rows, total] = await query.getManyAndCount();
        return { count: rows.length, total, limit, offset, products: rows.map(toProductDto) };
      },
    }),
    directDbType<ProductLocatorParams, ProductWithMovements>('ecommerce', {
      type: 'get_product',
      description: 'One product by product_id or sku, with its latest inventory movements.',
      parameters: ProductLocatorParams,
      resultSchema: describes<ProductWithMovements>()(
        object({ ...PRODUCT_FIELDS, recent_movements: array(MOVEMENT_SCHEMA) }, { optional: [...PRODUCT_OPTIONAL, 'recent_movements'] }),
      ),
      check: oneLocator,
      run: async (context, p) => {
        const product = await findProduct(context.manager, context.tenantId, p);
        const movements = await context.manager.getRepository(InventoryMovementEntity).find({
          where: { tenantId: context.tenantId, productId: product.id },
          order: { createdAt: 'DESC', id: 'DESC' },
          take: RECENT_MOVEMENTS,
        });
        return { ...toProductDto(product), recent_movements: movements.map(toMovementDto) };
      },
    }),
    directDbType<CreateProductParams, ProductDto>('ecommerce', {
      type: 'create_product',
      effect: 'create',
      description: 'Creates a product (unique SKU per tenant); a starting stock_on_hand is recorded as a receipt in the inventory ledger.',
      parameters: CreateProductParams,
      resultSchema: PRODUCT_SCHEMA,
      run: async (context, p) => {
        if (await context.manager.getRepository(ProductEntity).existsBy({ tenantId: context.tenantId, sku: p.sku })) throw skuTaken(p.sku);
        try {
          return await context.write(async (m) => {
            const product = await m.getRepository(ProductEntity).save({
              tenantId: context.tenantId,
              sku: p.sku,
              name: p.name,
              price: p.price,
              cost: p.cost ?? null,
              stockOnHand: 0,
              leadTimeDays: p.lead_time_days ?? 7,
              orderingCost: p.ordering_cost ?? 0,
              holdingCostRate: p.holding_cost_rate ?? 0.25,
              active: p.active ?? true,
              externalId: p.external_id ?? null,
            });
            if (p.stock_on_hand) await moveStock(m, context.tenantId, product, p.stock_on_hand, 'receipt', { note: 'opening stock' });
            return toProductDto(await m.getRepository(ProductEntity).findOneByOrFail({ tenantId: context.tenantId, id: product.id }));
          });
        } catch (error) {
          if (isUniqueViolation(error, 'products_tenant_sku_key')) throw skuTaken(p.sku);
          if (isUniqueViolation(error, 'products_tenant_external_id_key'))
            throw new ConflictProblem(`A product with external_id ${p.external_id} already exists for this tenant.`);
          throw error;
        }
      },
    }),
    directDbType<UpdateProductParams, ProductDto>('ecommerce', {
      type: 'update_product',
      effect: 'update',
      description: 'Changes the given fields of a product (stock changes go through adjust_inventory).',
      parameters: UpdateProductParams,
      resultSchema: PRODUCT_SCHEMA,
      check: (p) =>
        Object.entries(p).some(([key, value]) => key !== 'product_id' && value !== undefined)
          ? []
          : [{ field: '', message: 'give at least one field to change' }],
      run: async (context, p) => {
        const product = await findProduct(context.manager, context.tenantId, { product_id: p.product_id });
        const changes: Partial<ProductEntity> = {
          ...(p.sku !== undefined ? { sku: p.sku } : {}),
          ...(p.name !== undefined ? { name: p.name } : {}),
          ...(p.price !== undefined ? { price: p.price } : {}),
          ...(p.cost !== undefined ? { cost: p.cost } : {}),
          ...(p.lead_time_days !== undefined ? { leadTimeDays: p.lead_time_days } : {}),
          ...(p.ordering_cost !== undefined ? { orderingCost: p.ordering_cost } : {}),
          ...(p.holding_cost_rate !== undefined ? { holdingCostRate: p.holding_cost_rate } : {}),
          ...(p.active !== undefined ? { active: p.active } : {}),
        };
        return context.write(async (m) => {
          const repository = m.getRepository(ProductEntity);
          try {
            await repository.update({ tenantId: context.tenantId, id: product.id }, { ...changes, updatedAt: new Date() });
          } catch (error) {
            if (isUniqueViolation(error, 'products_tenant_sku_key')) throw skuTaken(p.sku as string);
            throw error;
          }
          return toProductDto(await repository.findOneByOrFail({ tenantId: context.tenantId, id: product.id }));
        });
      },
    }),
    directDbType<ProductLocatorParams, ProductDeleted>('ecommerce', {
      type: 'delete_product',
      effect: 'delete',
      description: 'Deletes a product and its inventory ledger; refused (409) while order lines refer to it — set active: false instead.',
      parameters: ProductLocatorParams,
      resultSchema: describes<ProductDeleted>()(object({ deleted: bool(), product_id: str(), sku: str() }, { optional: ['sku'] })),
      check: oneLocator,
      run: async (context, p) => {
        const product = await findProduct(context.manager, context.tenantId, p);
        const lines = await context.manager.getRepository(OrderItemEntity).countBy({ tenantId: context.tenantId, productId: product.id });
        if (lines > 0) {
          throw new ConflictProblem(
            `Product ${product.sku} is on ${lines} order line(s) and cannot be deleted; update it with active: false instead.`,
            { order_lines: lines },
          );
        }
        await context.write((m) => m.getRepository(ProductEntity).delete({ tenantId: context.tenantId, id: product.id }));
        return { deleted: true, product_id: product.id, sku: product.sku };
      },
    }),
    directDbType<AdjustInventoryParams, InventoryAdjusted>('ecommerce', {
      type: 'adjust_inventory',
      effect: 'create',
      description:
        'Adds or removes stock of a product (receipt, return, damage, adjustment) and records it in the inventory ledger; stock never goes below zero.',
      parameters: AdjustInventoryParams,
      resultSchema: describes<InventoryAdjusted>()(
        object({ product_id: str(), sku: str(), stock_on_hand: int(), movement: MOVEMENT_SCHEMA }, { optional: ['sku'] }),
      ),
      run: async (context, p) => {
        const product = await findProduct(context.manager, context.tenantId, { product_id: p.product_id });
        const movement = await context.write((m) =>
          moveStock(m, context.tenantId, product, p.quantity_change, p.reason as MovementReason, { note: p.note }),
        );
        return { product_id: product.id, sku: product.sku, stock_on_hand: movement.stockAfter, movement: toMovementDto(movement) };
      },
    }),
  ];
}
