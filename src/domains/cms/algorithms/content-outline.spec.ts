import { describe, expect, it } from 'vitest';
import { buildOutline, OUTLINE_LABEL } from './content-outline.js';

describe('content outline (deterministic content generation)', () => {
  it('builds titles, H2/H3 structure, word targets and a meta template from topic, keywords and audience', () => {
    const outline = buildOutline({
      topic: 'email marketing',
      keywords: ['email marketing', 'segmentation', 'subject lines'],
      audience: 'small businesses',
      contentType: 'blog_post',
      targetWords: null,
      tone: null,
    });
    expect(outline).toMatchObject({
      kind: 'outline',
      label: OUTLINE_LABEL,
      primary_keyword: 'email marketing',
      secondary_keywords: ['segmentation', 'subject lines'],
    });
    expect(outline.title_options).toEqual([
      { title: 'Email marketing: A Practical Guide for Small businesses', length: 55, within_ideal_length: true },
      { title: 'How to Get Started with Email marketing for Small businesses', length: 60, within_ideal_length: true },
      { title: 'Email marketing Explained: What Small businesses Need to Know', length: 61, within_ideal_length: false },
    ]);
    // blog_post: 1200 words, 4 body sections; intro/conclusion 10 % = 120; body (1200 − 240) / 4 = 240 each.
    expect(outline.target_length).toEqual({ words: 1200, reading_time_minutes: 6 });
    expect(outline.structure.map((s) => [s.heading, s.target_words, s.subsections.length])).toEqual([
      ['Why email marketing matters for small businesses', 120, 0],
      ['Segmentation', 240, 3],
      ['Subject lines', 240, 3],
      ['Key concepts', 240, 2],
      ['A step-by-step approach', 240, 2],
      ['Conclusion and next steps', 120, 0],
    ]);
    expect(outline.structure[1].subsections).toEqual([
      { level: 3, heading: 'What segmentation means for small businesses' },
      { level: 3, heading: 'How to apply segmentation' },
      { level: 3, heading: 'Segmentation: an example' },
    ]);
    expect(outline.meta_description_template.template).toBe(
      'Email marketing for small businesses: {main benefit in a few words}. Learn segmentation and subject lines — {call to action}.',
    );
  });

  it('sizes a product description without keywords or audience', () => {
    const outline = buildOutline({
      topic: 'trail shoes',
      keywords: [],
      audience: null,
      contentType: 'product_description',
      targetWords: null,
      tone: null,
    });
    // 300 words, 2 sections: edges round(30) = 30, body (300 − 60) / 2 = 120.
    expect(outline.structure.map((s) => [s.heading, s.target_words])).toEqual([
      ['Why trail shoes matters', 30],
      ['Key concepts', 120],
      ['A step-by-step approach', 120],
      ['Conclusion and next steps', 30],
    ]);
    expect(outline.primary_keyword).toBe('trail shoes');
    expect(outline.title_options.map((t) => t.title)).toEqual([
      'Trail shoes: A Practical Guide',
      'How to Get Started with Trail shoes',
      'Trail shoes Explained: What You Need to Know',
    ]);
    expect(outline.target_length).toEqual({ words: 300, reading_time_minutes: 2 });
  });

  it('honours an explicit target length', () => {
    // 2000 words as a landing page (3 sections): edges 200, body (2000 − 400) / 3 = 533.3 → 530.
    const outline = buildOutline({
      topic: 'pricing',
      keywords: [],
      audience: null,
      contentType: 'landing_page',
      targetWords: 2000,
      tone: 'friendly',
    });
    expect(outline.structure.map((s) => s.target_words)).toEqual([200, 530, 530, 530, 200]);
    expect(outline.target_length.reading_time_minutes).toBe(10);
    expect(outline.checklist.at(-1)).toBe('Keep a friendly tone throughout.');
  });
});
