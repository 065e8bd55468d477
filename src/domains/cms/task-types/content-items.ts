import { ILike, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { ConflictProblem, NotFoundProblem } from '../../../common/problem.js';
import { onUniqueViolation } from '../../shared/db-errors.js';
import type { CreateContentParams, ListContentParams, UpdateContentParams } from '../dto/cms.params.js';
import { type BodyFormat, ContentItemEntity, type ContentStatus } from '../entities/content-item.entity.js';

export interface ContentItemView {
  content_id: string;
  title: string;
  slug: string;
  body: string;
  format: BodyFormat;
  meta_description: string | null;
  keywords: string[];
  status: ContentStatus;
  published_at: string | null;
  author: string | null;
  external_id: string | null;
  created_at: string;
  updated_at: string;
}

export function toContentView(item: ContentItemEntity): ContentItemView {
  return {
    content_id: item.id,
    title: item.title,
    slug: item.slug,
    body: item.body,
    format: item.format,
    meta_description: item.metaDescription,
    keywords: item.keywords,
    status: item.status,
    published_at: item.publishedAt?.toISOString() ?? null,
    author: item.author,
    external_id: item.externalId,
    created_at: item.createdAt.toISOString(),
    updated_at: item.updatedAt.toISOString(),
  };
}

/** "Spring Sale: 30 % off!" → "spring-sale-30-off" (accents dropped, at most 200 characters). */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 200)
    .replace(/-+$/, '');
  return slug || 'item';
}

const slugTaken = (tenantId: string, slug: string) =>
  new ConflictProblem(`Tenant ${tenantId} already has a content item with slug "${slug}"; choose another slug.`, { slug });

/** The tenant's item, or a 404 problem (another tenant's item does not exist for this one). */
export async function findContent(
  manager: EntityManager,
  tenantId: string,
  where: { id?: string; slug?: string },
): Promise<ContentItemEntity> {
  const item = await manager.findOneBy(ContentItemEntity, { tenantId, ...where });
  if (!item) throw new NotFoundProblem(`No content item ${where.id ?? `with slug "${where.slug}"`} for tenant ${tenantId}.`);
  return item;
}

/** A free slug: the given one must be free; a derived one gets -2, -3, … appended until it is. */
async function freeSlug(manager: EntityManager, tenantId: string, p: CreateContentParams): Promise<string> {
  if (p.slug) {
    if (await manager.existsBy(ContentItemEntity, { tenantId, slug: p.slug })) throw slugTaken(tenantId, p.slug);
    return p.slug;
  }
  const base = slugify(p.title);
  for (let n = 1; ; n += 1) {
    const candidate = n === 1 ? base : `${base.slice(0, 195)}-${n}`;
    if (!(await manager.existsBy(ContentItemEntity, { tenantId, slug: candidate }))) return candidate;
  }
}

export async function createContent(manager: EntityManager, tenantId: string, p: CreateContentParams): Promise<ContentItemView> {
  const slug = await freeSlug(manager, tenantId, p);
  const status = (p.status ?? 'draft') as ContentStatus;
  const saved = await manager
    .save(
      manager.create(ContentItemEntity, {
        tenantId,
        title: p.title,
        slug,
        body: p.body ?? '',
        format: (p.format ?? 'markdown') as BodyFormat,
        metaDescription: p.meta_description ?? null,
        keywords: p.keywords ?? [],
        author: p.author ?? null,
        status,
        publishedAt: status === 'published' ? new Date() : null,
      }),
    )
    .catch(onUniqueViolation(() => slugTaken(tenantId, slug)));
  return toContentView(await findContent(manager, tenantId, { id: saved.id }));
}

export async function updateContent(manager: EntityManager, tenantId: string, p: UpdateContentParams): Promise<ContentItemView> {
  const item = await findContent(manager, tenantId, { id: p.content_id });
  if (p.slug !== undefined && p.slug !== item.slug && (await manager.existsBy(ContentItemEntity, { tenantId, slug: p.slug }))) {
    throw slugTaken(tenantId, p.slug);
  }
  const patch: Partial<ContentItemEntity> = {
    ...(p.title !== undefined ? { title: p.title } : {}),
    ...(p.slug !== undefined ? { slug: p.slug } : {}),
    ...(p.body !== undefined ? { body: p.body } : {}),
    ...(p.format !== undefined ? { format: p.format as BodyFormat } : {}),
    ...(p.meta_description !== undefined ? { metaDescription: p.meta_description } : {}),
    ...(p.keywords !== undefined ? { keywords: p.keywords } : {}),
    ...(p.author !== undefined ? { author: p.author } : {}),
  };
  await manager
    .update(ContentItemEntity, { tenantId, id: item.id }, { ...patch, updatedAt: () => 'now()' })
    .catch(onUniqueViolation(() => slugTaken(tenantId, p.slug ?? item.slug)));
  return toContentView(await findContent(manager, tenantId, { id: item.id }));
}

export async function deleteContent(manager: EntityManager, tenantId: string, id: string): Promise<{ deleted: true; content_id: string }> {
  const item = await findContent(manager, tenantId, { id });
  await manager.delete(ContentItemEntity, { tenantId, id: item.id });
  return { deleted: true, content_id: item.id };
}

/** Publishes (published_at = now) or unpublishes (back to draft); doing it twice changes nothing. */
export async function setPublished(
  manager: EntityManager,
  tenantId: string,
  id: string,
  publish: boolean,
): Promise<ContentItemView & { changed: boolean }> {
  const item = await findContent(manager, tenantId, { id });
  const target: ContentStatus = publish ? 'published' : 'draft';
  const changed = item.status !== target;
  if (changed) {
    await manager.update(
      ContentItemEntity,
      { tenantId, id: item.id },
      { status: target, publishedAt: publish ? () => 'now()' : null, updatedAt: () => 'now()' },
    );
  }
  return { ...toContentView(await findContent(manager, tenantId, { id: item.id })), changed };
}

export async function listContent(
  manager: EntityManager,
  tenantId: string,
  p: ListContentParams,
): Promise<{ count: number; items: Omit<ContentItemView, 'body'>[] }> {
  const where: FindOptionsWhere<ContentItemEntity> = {
    tenantId,
    ...(p.status ? { status: p.status as ContentStatus } : {}),
    ...(p.author ? { author: p.author } : {}),
    ...(p.search ? { title: ILike(`%${p.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) } : {}),
  };
  const rows = await manager.find(ContentItemEntity, { where, order: { createdAt: 'DESC', id: 'DESC' }, take: p.limit ?? 20 });
  return {
    count: rows.length,
    items: rows.map((row) => {
      const { body: _body, ...summary } = toContentView(row);
      return summary;
    }),
  };
}
