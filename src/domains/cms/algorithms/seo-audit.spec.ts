import { describe, expect, it } from 'vitest';
import { auditContent, classifyLink, skippedLevels } from './seo-audit.js';

const SHORT_BODY = [
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
].join('\n');

const GOOD_BODY = [
  '# A simple guide to weekly planning',
  '',
  'Weekly planning helps.',
  '',
  Array.from({ length: 30 }, () => 'Set one goal for each day and keep it short.').join(' '),
  '',
  'Read [more](/more) or [this](https://other.org/a).',
].join('\n');

describe('SEO audit', () => {
  it('audits a short page worked by hand', () => {
    const result = auditContent({
      title: 'Content Marketing Basics for Small Teams', // 40 characters
      metaDescription: 'Learn content marketing.', // 24 characters
      body: SHORT_BODY,
      format: 'markdown',
      keywords: ['content marketing', 'SEO'],
      siteHosts: ['example.com'],
    });
    // Blocks and words: heading 3, paragraph 6 + 4, "Plan" 1, links line 6, "Details" 1, "Keep it simple" 3 → 24 words.
    // Sentences: one per heading/line, two in the paragraph → 7.
    // Syllables: 7 (Con-tent Mar-ke-ting Ba-sics) + 14 + 1 + 7 (… stu-dy) + 2 (De-tails) + 4 (Keep it sim-ple) = 35.
    // Flesch = 206.835 − 1.015 × 24/7 − 84.6 × 35/24 = 206.835 − 3.48 − 123.375 = 79.98.
    expect(result.metrics).toMatchObject({
      title_length: 40,
      meta_description_length: 24,
      words: 24,
      sentences: 7,
      syllables: 35,
      avg_words_per_sentence: 3.43,
      avg_syllables_per_word: 1.46,
      flesch_reading_ease: 79.98,
      readability: 'fairly easy',
      h1_count: 1,
      skipped_levels: [{ from: 2, to: 4, heading: 'Details' }],
      links: { internal: 1, external: 1, other: 0, total: 2 },
    });
    // "content marketing": 2 occurrences × 2 words / 24 = 16.67 %; "SEO": none.
    expect(result.metrics.keywords).toEqual([
      {
        keyword: 'content marketing',
        occurrences: 2,
        density_percent: 16.67,
        in_title: true,
        in_meta_description: true,
        in_headings: true,
      },
      { keyword: 'SEO', occurrences: 0, density_percent: 0, in_title: false, in_meta_description: false, in_headings: false },
    ]);
    expect(result.findings.map((f) => [f.check, f.severity, f.penalty])).toEqual([
      ['title_too_short', 'medium', 10],
      ['meta_description_too_short', 'medium', 10],
      ['keyword_stuffing', 'medium', 10],
      ['keyword_missing', 'high', 20],
      ['skipped_heading_level', 'low', 5],
      ['thin_content', 'low', 5],
    ]);
    expect(result.findings[0]).toMatchObject({
      message: 'The title has 40 characters; 50–60 is ideal.',
      fix: 'Add 10–20 characters (the primary keyword, a concrete benefit).',
    });
    // 100 − (10 + 10 + 10 + 20 + 5 + 5) = 40
    expect(result).toMatchObject({ status: 'ok', score: 40, grade: 'poor' });
  });

  it('scores a page that passes every check 100', () => {
    const meta =
      'Weekly planning in fifteen minutes: set one goal per day, keep tasks short and review on Friday. A method that works for busy teams.';
    const result = auditContent({
      title: 'Weekly Planning: A Simple Guide to a Calmer Work Week', // 53 characters
      metaDescription: meta,
      body: GOOD_BODY,
      format: 'markdown',
      keywords: ['weekly planning'],
      siteHosts: [],
    });
    // 6 + 3 + 30 × 10 + 4 = 313 words; "weekly planning" twice → 2 × 2 / 313 = 1.28 %.
    // 33 sentences; syllables 9 + 5 + 30 × 10 + 4 = 318 → 206.835 − 1.015 × 313/33 − 84.6 × 318/313 = 111.26.
    expect(result.metrics).toMatchObject({
      title_length: 53,
      meta_description_length: meta.length,
      words: 313,
      sentences: 33,
      syllables: 318,
    });
    expect(result.metrics.flesch_reading_ease).toBe(111.26);
    expect(result.metrics.keywords[0]).toMatchObject({ occurrences: 2, density_percent: 1.28 });
    expect(result.findings).toEqual([]);
    expect(result).toMatchObject({ status: 'ok', score: 100, grade: 'good' });
  });

  it('flags a missing title and meta description, no H1 and several H1s', () => {
    const noH1 = auditContent({
      title: '',
      metaDescription: null,
      body: '## Only a subheading\n\nText here.',
      format: 'markdown',
      keywords: [],
      siteHosts: [],
    });
    expect(noH1.findings.map((f) => f.check)).toEqual([
      'title_missing',
      'meta_description_missing',
      'no_target_keywords',
      'no_h1',
      'no_internal_links',
      'no_external_links',
      'thin_content',
    ]);
    // 100 − (20 + 20 + 5 + 10 + 5 + 5 + 5) = 30
    expect(noH1.score).toBe(30);
    const twoH1 = auditContent({
      title: 'x',
      metaDescription: 'y',
      body: '<h1>One</h1><h1>Two</h1><p>Text.</p>',
      format: 'html',
      keywords: [],
      siteHosts: [],
    });
    expect(twoH1.findings.find((f) => f.check === 'multiple_h1')).toMatchObject({
      severity: 'medium',
      message: 'The body has 2 H1 headings; a page should have one.',
    });
  });

  it('answers not enough data for an empty body instead of a score', () => {
    const result = auditContent({
      title: 'A title',
      metaDescription: null,
      body: '  \n',
      format: 'markdown',
      keywords: ['x'],
      siteHosts: [],
    });
    expect(result).toMatchObject({
      status: 'not_enough_data',
      message: 'Not enough data: the body has no text to audit (0 words). Add the body and run the audit again.',
      score: null,
      grade: null,
      findings: [],
    });
  });

  it('classifies links as internal, external or other', () => {
    expect(
      ['/a', '#top', './b', 'c.html', 'https://www.site.com/x', 'https://blog.site.com', '//cdn.net/x', 'mailto:a@b.c', 'tel:123'].map(
        (u) => classifyLink(u, ['site.com']),
      ),
    ).toEqual(['internal', 'internal', 'internal', 'internal', 'internal', 'external', 'external', 'other', 'other']);
  });

  it('finds every skipped heading level', () => {
    expect(
      skippedLevels([
        { level: 1, text: 'a' },
        { level: 3, text: 'b' },
        { level: 2, text: 'c' },
        { level: 6, text: 'd' },
      ]),
    ).toEqual([
      { from: 1, to: 3, heading: 'b' },
      { from: 2, to: 6, heading: 'd' },
    ]);
  });
});
