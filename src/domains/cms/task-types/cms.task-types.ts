/** The CMS task catalogue: content CRUD, publish/unpublish, the content sync, the SEO audit and the outline. */
import type { FieldError } from '../../../common/problem.js';
import type { TaskRunContext, TaskTypeDefinition } from '../../../tasks/task-type.js';
import { AI_STRATEGIES, directDb } from '../../shared/task-kit.js';
import { outboundRefusal } from '../../shared/upstream-fetch.js';
import type { CmsConfig } from '../cms.config.js';
import {
  type ContentAudit,
  type ContentDeleted,
  type ContentList,
  CONTENT_DELETED_SCHEMA,
  CONTENT_ITEM_SCHEMA,
  CONTENT_LIST_SCHEMA,
  CONTENT_SYNC_SCHEMA,
  OUTLINE_SCHEMA,
  PUBLISH_SCHEMA,
  type PublishResult,
  SEO_AUDIT_SCHEMA,
} from './cms.schemas.js';
import {
  type ContentItemView,
  createContent,
  deleteContent,
  findContent,
  listContent,
  setPublished,
  toContentView,
  updateContent,
} from './content-items.js';
import { buildOutline, type ContentOutline, type ContentType } from '../algorithms/content-outline.js';
import { type ContentSyncResult, syncContent } from '../sync/content-sync.js';
import {
  ContentGenerationParams,
  ContentIdParams,
  ContentOptimizationParams,
  CreateContentParams,
  GetContentParams,
  ListContentParams,
  SyncContentParams,
  UpdateContentParams,
} from '../dto/cms.params.js';
import type { BodyFormat } from '../entities/content-item.entity.js';
import { auditContent } from '../algorithms/seo-audit.js';

/** What the CMS task types need from the configuration. */
export interface CmsTaskSettings {
  allowPrivate: boolean;
  cms: CmsConfig;
}

const crud = directDb('cms');

/** The SEO audit of a stored item (by id, tenant-scoped) or of an item posted inline. */
async function optimize(context: TaskRunContext, p: ContentOptimizationParams): Promise<ContentAudit> {
  const stored = p.content_id ? await findContent(context.manager, context.tenantId, { id: p.content_id }) : null;
  const posted = p.content;
  const input = stored
    ? { title: stored.title, metaDescription: stored.metaDescription, body: stored.body, format: stored.format, keywords: stored.keywords }
    : {
        title: posted?.title ?? '',
        metaDescription: posted?.meta_description ?? null,
        body: posted?.body ?? '',
        format: (posted?.format ?? 'markdown') as BodyFormat,
        keywords: posted?.keywords ?? [],
      };
  const audit = auditContent({ ...input, keywords: p.target_keywords ?? input.keywords, siteHosts: p.site_hosts ?? [] });
  return {
    source: stored ? 'stored' : 'posted',
    content: stored ? { content_id: stored.id, title: stored.title, slug: stored.slug, status: stored.status } : { title: input.title },
    ...audit,
  };
}

/** The sync endpoint's field errors: missing (no CMS_SYNC_URL either) or refused by the outbound guard. */
function checkSource(p: SyncContentParams, settings: CmsTaskSettings): FieldError[] {
  const url = p.source_url ?? settings.cms.syncUrl;
  if (!url) return [{ field: 'source_url', message: 'give source_url, or set CMS_SYNC_URL on the service' }];
  const refused = outboundRefusal(url, settings.allowPrivate);
  if (refused === null) return [];
  return [{ field: 'source_url', message: p.source_url ? refused : `CMS_SYNC_URL: ${refused}` }];
}

export function cmsTaskTypes(settings: CmsTaskSettings): TaskTypeDefinition[] {
  const result = <T>(value: T) => ({ aiMode: 'deterministic' as const, result: value });
  const types: TaskTypeDefinition<never>[] = [];
  const add = <P extends object, R>(definition: TaskTypeDefinition<P, R>) => types.push(definition as unknown as TaskTypeDefinition<never>);

  add<CreateContentParams, ContentItemView>({
    ...crud,
    type: 'cms_create_content',
    effect: 'create',
    description:
      'Creates a content item (title, slug unique per tenant — derived from the title when absent —, markdown/HTML body, meta description, keywords, author).',
    parameters: CreateContentParams,
    resultSchema: CONTENT_ITEM_SCHEMA,
    run: async (c, p) => result(await c.write((m) => createContent(m, c.tenantId, p))),
  });
  add<GetContentParams, ContentItemView>({
    ...crud,
    type: 'cms_get_content',
    description: 'Reads one content item by content_id or slug.',
    parameters: GetContentParams,
    resultSchema: CONTENT_ITEM_SCHEMA,
    check: (p) => (Boolean(p.content_id) === Boolean(p.slug) ? [{ field: '', message: 'give exactly one of content_id and slug' }] : []),
    run: async (c, p) =>
      result(toContentView(await findContent(c.manager, c.tenantId, p.content_id ? { id: p.content_id } : { slug: p.slug }))),
  });
  add<ListContentParams, ContentList>({
    ...crud,
    type: 'cms_list_content',
    description: "Lists the tenant's content items without their bodies (newest first), by status, author or a title search.",
    parameters: ListContentParams,
    resultSchema: CONTENT_LIST_SCHEMA,
    run: async (c, p) => result(await listContent(c.manager, c.tenantId, p)),
  });
  add<UpdateContentParams, ContentItemView>({
    ...crud,
    type: 'cms_update_content',
    effect: 'update',
    description: 'Updates fields of a content item (status changes go through cms_publish_content / cms_unpublish_content).',
    parameters: UpdateContentParams,
    resultSchema: CONTENT_ITEM_SCHEMA,
    check: (p) =>
      Object.keys(p).some((key) => key !== 'content_id' && (p as unknown as Record<string, unknown>)[key] !== undefined)
        ? []
        : [{ field: '', message: 'give at least one field to change besides content_id' }],
    run: async (c, p) => result(await c.write((m) => updateContent(m, c.tenantId, p))),
  });
  add<ContentIdParams, ContentDeleted>({
    ...crud,
    type: 'cms_delete_content',
    effect: 'delete',
    description: 'Deletes a content item.',
    parameters: ContentIdParams,
    resultSchema: CONTENT_DELETED_SCHEMA,
    run: async (c, p) => result(await c.write((m) => deleteContent(m, c.tenantId, p.content_id))),
  });
  add<ContentIdParams, PublishResult>({
    ...crud,
    type: 'cms_publish_content',
    effect: 'update',
    description:
      'Publishes a content item (status published, published_at now); publishing a published item changes nothing (changed: false).',
    parameters: ContentIdParams,
    resultSchema: PUBLISH_SCHEMA,
    run: async (c, p) => result(await c.write((m) => setPublished(m, c.tenantId, p.content_id, true))),
  });
  add<ContentIdParams, PublishResult>({
    ...crud,
    type: 'cms_unpublish_content',
    effect: 'update',
    description: 'Unpublishes a content item (back to draft, published_at cleared); unpublishing a draft changes nothing (changed: false).',
    parameters: ContentIdParams,
    resultSchema: PUBLISH_SCHEMA,
    run: async (c, p) => result(await c.write((m) => setPublished(m, c.tenantId, p.content_id, false))),
  });
  add<SyncContentParams, ContentSyncResult>({
    type: 'cms_sync_content',
    effect: 'update',
    domain: 'cms',
    description:
      'Imports content items from an upstream JSON endpoint (source_url or CMS_SYNC_URL; outbound guard, timeout, retries with backoff), validates the whole payload, then upserts by (tenant, external id) in one transaction.',
    complexity: 'simple',
    strategy: 'direct_api',
    requiresAi: false,
    parameters: SyncContentParams,
    resultSchema: CONTENT_SYNC_SCHEMA,
    check: (p) => checkSource(p, settings),
    run: async (c, p) =>
      result(
        await syncContent(c, p, {
          allowPrivate: settings.allowPrivate,
          defaultUrl: settings.cms.syncUrl,
          token: settings.cms.syncToken,
          timeoutMs: settings.cms.syncTimeoutMs,
          maxRetries: settings.cms.syncMaxRetries,
          backoffMs: settings.cms.syncBackoffMs,
        }),
      ),
  });
  add<ContentOptimizationParams, ContentAudit>({
    type: 'cms_content_optimization',
    domain: 'cms',
    description:
      'SEO audit of a stored item (content_id) or a posted one (content): title 50–60 and meta description 120–160 characters, keyword density, Flesch reading ease, heading structure, internal/external links; findings with severity and fix, score 0–100.',
    complexity: 'moderate',
    strategy: 'single_agent',
    supportedStrategies: [...AI_STRATEGIES],
    requiresAi: true,
    agent: 'cms_seo_specialist',
    parameters: ContentOptimizationParams,
    resultSchema: SEO_AUDIT_SCHEMA,
    check: (p) =>
      Boolean(p.content_id) === Boolean(p.content)
        ? [{ field: '', message: 'give exactly one of content_id (a stored item) and content (an item to audit)' }]
        : [],
    run: async (c, p) => result(await optimize(c, p)),
  });
  add<ContentGenerationParams, ContentOutline>({
    type: 'cms_content_generation',
    domain: 'cms',
    description:
      'Content generation: with an LLM the content specialist writes the draft (narrative); the deterministic result is an outline — title options, H2/H3 structure, target length and a meta description template — labelled as such.',
    complexity: 'moderate',
    strategy: 'single_agent',
    supportedStrategies: [...AI_STRATEGIES],
    requiresAi: true,
    agent: 'cms_content_specialist',
    parameters: ContentGenerationParams,
    resultSchema: OUTLINE_SCHEMA,
    run: (_c, p) =>
      Promise.resolve(
        result(
          buildOutline({
            topic: p.topic,
            keywords: p.keywords ?? [],
            audience: p.audience?.trim() || null,
            contentType: (p.content_type ?? 'blog_post') as ContentType,
            targetWords: p.target_words ?? null,
            tone: p.tone?.trim() || null,
          }),
        ),
      ),
  });
  return types as unknown as TaskTypeDefinition[];
}
