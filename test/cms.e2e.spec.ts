import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.js';

const TENANT = 'cms-tenant';
const OTHER = 'cms-other';

/** The page worked by hand in src/domains/cms/seo/seo-audit.spec.ts: 24 words, 7 sentences, 35 syllables → Flesch 79.98, score 40. */
const SHORT_PAGE = {
  title: 'Content Marketing Basics for Small Teams',
  meta_description: 'Learn content marketing.',
  body: [
    '# Content Marketing Basics',
    '',
    'Content marketing helps small teams grow. Write for readers first.',
    '',
    '## Plan',
    '',
    'See [our guide](/guide) and [the study](https://research.example.com/study).',
    '',
    '#### Details',
    '',
    'Keep it simple.',
  ].join('\n'),
  keywords: ['content marketing', 'SEO'],
};

describe('CMS domain through /execute (deterministic mode)', () => {
  let testApp: TestApp;
  const http = () => request(testApp.app.getHttpServer());
  const execute = (type: string, parameters: Record<string, unknown>, tenant = TENANT, extra: Record<string, unknown> = {}) =>
    http()
      .post('/api/crew/execute')
      .set('X-Tenant-ID', tenant)
      .send({ type, description: `Run ${type}`, parameters, ...extra });

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(async () => {
    await testApp?.dispose();
  });

  it('creates, reads, lists, updates, publishes, unpublishes and deletes content items', async () => {
    const created = await execute('cms_create_content', { ...SHORT_PAGE, author: 'Ann' }).expect(200);
    expect(created.body).toMatchObject({
      status: 'completed',
      strategy_used: 'direct_db',
      metrics: { ai_mode: 'deterministic', fallback_chain: ['direct_db'] },
    });
    const item = created.body.result;
    expect(item).toMatchObject({
      title: SHORT_PAGE.title,
      slug: 'content-marketing-basics-for-small-teams',
      format: 'markdown',
      status: 'draft',
      published_at: null,
      keywords: ['content marketing', 'SEO'],
      author: 'Ann',
      external_id: null,
    });

    // The same title gets a numbered slug; an explicit slug that is taken is a conflict.
    const again = await execute('cms_create_content', { title: SHORT_PAGE.title }).expect(200);
    expect(again.body.result.slug).toBe('content-marketing-basics-for-small-teams-2');
    const taken = await execute('cms_create_content', { title: 'Other', slug: 'content-marketing-basics-for-small-teams' }).expect(200);
    expect(taken.body).toMatchObject({
      status: 'failed',
      error: `Tenant ${TENANT} already has a content item with slug "content-marketing-basics-for-small-teams"; choose another slug.`,
    });

    const bySlug = await execute('cms_get_content', { slug: item.slug }).expect(200);
    expect(bySlug.body.result).toMatchObject({ content_id: item.content_id, body: SHORT_PAGE.body });

    const listed = await execute('cms_list_content', { search: 'marketing' }).expect(200);
    expect(listed.body.result.count).toBe(2);
    expect(listed.body.result.items[0]).not.toHaveProperty('body');

    const updated = await execute('cms_update_content', {
      content_id: item.content_id,
      meta_description: null,
      keywords: ['teams'],
    }).expect(200);
    expect(updated.body.result).toMatchObject({ meta_description: null, keywords: ['teams'], title: SHORT_PAGE.title });

    const published = await execute('cms_publish_content', { content_id: item.content_id }).expect(200);
    expect(published.body.result).toMatchObject({ status: 'published', changed: true });
    expect(Date.parse(published.body.result.published_at)).not.toBeNaN();
    const twice = await execute('cms_publish_content', { content_id: item.content_id }).expect(200);
    expect(twice.body.result).toMatchObject({ status: 'published', changed: false, published_at: published.body.result.published_at });
    expect((await execute('cms_list_content', { status: 'published' }).expect(200)).body.result.count).toBe(1);

    const unpublished = await execute('cms_unpublish_content', { content_id: item.content_id }).expect(200);
    expect(unpublished.body.result).toMatchObject({ status: 'draft', published_at: null, changed: true });

    const deleted = await execute('cms_delete_content', { content_id: item.content_id }).expect(200);
    expect(deleted.body.result).toEqual({ deleted: true, content_id: item.content_id });
    const gone = await execute('cms_get_content', { content_id: item.content_id }).expect(200);
    expect(gone.body).toMatchObject({ status: 'failed', error: `No content item ${item.content_id} for tenant ${TENANT}.` });
  });

  it.each([
    [
      'cms_create_content',
      { title: 'x', slug: 'Not A Slug' },
      'parameters.slug',
      'slug must be lower-case letters and digits separated by single hyphens (e.g. "spring-sale-2026")',
    ],
    ['cms_create_content', { title: '' }, 'parameters.title', 'title must be longer than or equal to 1 characters'],
    [
      'cms_create_content',
      { title: 'x', status: 'live' },
      'parameters.status',
      'status must be one of the following values: draft, published',
    ],
    [
      'cms_get_content',
      { content_id: '0b7c1d0e-8a57-4b43-9a8e-3d5a4f1f9c11', slug: 'a' },
      'parameters',
      'give exactly one of content_id and slug',
    ],
    [
      'cms_update_content',
      { content_id: '0b7c1d0e-8a57-4b43-9a8e-3d5a4f1f9c11' },
      'parameters',
      'give at least one field to change besides content_id',
    ],
    ['cms_publish_content', { content_id: 'nope' }, 'parameters.content_id', 'content_id must be a UUID'],
    ['cms_content_optimization', {}, 'parameters', 'give exactly one of content_id (a stored item) and content (an item to audit)'],
    ['cms_content_optimization', { content: { title: 'x' } }, 'parameters.content.body', 'body must be a string'],
    ['cms_content_generation', { topic: 'ab' }, 'parameters.topic', 'topic must be longer than or equal to 3 characters'],
  ])('%s with bad parameters is a 422 naming the field (%s)', async (type, parameters, field, message) => {
    const response = await execute(type, parameters).expect(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors).toContainEqual({ field, message });
  });

  it("keeps tenants apart: another tenant's item is not found and its lists are empty", async () => {
    const mine = (await execute('cms_create_content', { title: 'Private page', body: 'Secret text.' }).expect(200)).body.result;
    for (const type of ['cms_get_content', 'cms_publish_content', 'cms_unpublish_content', 'cms_delete_content']) {
      const response = await execute(type, { content_id: mine.content_id }, OTHER).expect(200);
      expect(response.body).toMatchObject({ status: 'failed', error: `No content item ${mine.content_id} for tenant ${OTHER}.` });
    }
    const audit = await execute('cms_content_optimization', { content_id: mine.content_id }, OTHER).expect(200);
    expect(audit.body).toMatchObject({ status: 'failed', error: `No content item ${mine.content_id} for tenant ${OTHER}.` });
    expect((await execute('cms_list_content', {}, OTHER).expect(200)).body.result).toEqual({ count: 0, items: [] });
    // The same slug is free in another tenant.
    const theirs = await execute('cms_create_content', { title: 'Private page' }, OTHER).expect(200);
    expect(theirs.body.result.slug).toBe('private-page');
    expect((await execute('cms_get_content', { content_id: mine.content_id }).expect(200)).body.result.status).toBe('draft');
  });

  it('audits a posted page with the hand-worked numbers, and a stored page by id', async () => {
    const posted = await execute('cms_content_optimization', { content: SHORT_PAGE, site_hosts: ['example.com'] }).expect(200);
    expect(posted.body).toMatchObject({
      status: 'completed',
      strategy_used: 'single_agent',
      agents_used: ['cms_seo_specialist'],
      metrics: { ai_mode: 'deterministic' },
    });
    expect(posted.body.result).toMatchObject({
      source: 'posted',
      status: 'ok',
      score: 40,
      grade: 'poor',
      narrative: null,
      metrics: { words: 24, sentences: 7, syllables: 35, flesch_reading_ease: 79.98, h1_count: 1, links: { internal: 1, external: 1 } },
    });
    expect(posted.body.result.findings.map((f: { check: string }) => f.check)).toEqual([
      'title_too_short',
      'meta_description_too_short',
      'keyword_stuffing',
      'keyword_missing',
      'skipped_heading_level',
      'thin_content',
    ]);

    const stored = (await execute('cms_create_content', { ...SHORT_PAGE, slug: 'audit-me' }).expect(200)).body.result;
    const byId = await execute('cms_content_optimization', {
      content_id: stored.content_id,
      target_keywords: ['teams'],
      site_hosts: ['example.com'],
    }).expect(200);
    expect(byId.body.result).toMatchObject({
      source: 'stored',
      content: { content_id: stored.content_id, slug: 'audit-me' },
      status: 'ok',
    });
    // "teams": 1 occurrence × 1 word / 24 = 4.17 % (above 3 %: stuffing); the title "… Small Teams" contains it.
    expect(byId.body.result.metrics.keywords).toEqual([
      { keyword: 'teams', occurrences: 1, density_percent: 4.17, in_title: true, in_meta_description: false, in_headings: false },
    ]);
    expect(byId.body.result.findings.map((f: { check: string }) => f.check)).toContain('keyword_stuffing');
  });

  it('answers not enough data for an item without body text', async () => {
    const empty = (await execute('cms_create_content', { title: 'Empty draft' }).expect(200)).body.result;
    const response = await execute('cms_content_optimization', { content_id: empty.content_id }).expect(200);
    expect(response.body).toMatchObject({ status: 'completed' });
    expect(response.body.result).toMatchObject({
      status: 'not_enough_data',
      score: null,
      message: 'Not enough data: the body has no text to audit (0 words). Add the body and run the audit again.',
    });
  });

  it('returns a labelled outline as the deterministic content generation', async () => {
    const response = await execute('cms_content_generation', {
      topic: 'email marketing',
      keywords: ['email marketing', 'segmentation', 'subject lines'],
      audience: 'small businesses',
    }).expect(200);
    expect(response.body).toMatchObject({
      status: 'completed',
      agents_used: ['cms_content_specialist'],
      metrics: { ai_mode: 'deterministic', llm_calls: 0 },
    });
    expect(response.body.result).toMatchObject({
      kind: 'outline',
      label: expect.stringContaining('Deterministic outline, not a written draft'),
      narrative: null,
      target_length: { words: 1200, reading_time_minutes: 6 },
    });
    expect(response.body.result.structure.map((s: { heading: string }) => s.heading)).toEqual([
      'Why email marketing matters for small businesses',
      'Segmentation',
      'Subject lines',
      'Key concepts',
      'A step-by-step approach',
      'Conclusion and next steps',
    ]);
  });

  it('lists every CMS task type in the catalogue with schemas', async () => {
    const response = await http().get('/api/crew/catalogue').expect(200);
    const types = response.body.domains.cms.map((entry: { type: string }) => entry.type);
    expect(types.sort()).toEqual([
      'cms_content_generation',
      'cms_content_optimization',
      'cms_create_content',
      'cms_delete_content',
      'cms_get_content',
      'cms_list_content',
      'cms_publish_content',
      'cms_sync_content',
      'cms_unpublish_content',
      'cms_update_content',
    ]);
    const optimization = response.body.domains.cms.find((entry: { type: string }) => entry.type === 'cms_content_optimization');
    expect(optimization).toMatchObject({
      default_strategy: 'single_agent',
      requires_ai: true,
      parameters_schema: { properties: { content_id: { type: 'string', format: 'uuid' } } },
      result_schema: { required: ['status', 'score', 'metrics', 'findings'] },
    });
  });
});
