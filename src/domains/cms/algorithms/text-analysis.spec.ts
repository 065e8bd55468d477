import { describe, expect, it } from 'vitest';
import {
  fleschReadingEase,
  keywordDensity,
  parseHtml,
  parseMarkdown,
  readabilityBand,
  sentenceCount,
  syllables,
  textStats,
  words,
} from './text-analysis.js';

describe('syllable counter', () => {
  it.each([
    ['the', 1], // three letters or fewer
    ['quick', 1], // "ui"
    ['over', 2], // o, e
    ['lazy', 2], // a, y
    ['reading', 2], // ea, i
    ['ease', 1], // silent final e after s → "ea"
    ['table', 2], // "le" keeps its e → a, e
    ['wanted', 2], // "ed" after t is voiced
    ['jumped', 1], // "ed" after p is silent → "jum"
    ['makes', 1], // "es" after k is silent → "ma"
    ['pages', 2], // "es" after g is voiced
    ['boxes', 2], // "es" after x is voiced
    ['readability', 5], // ea, a, i, i, y
    ['yellow', 2], // leading y is a consonant → "ellow"
    ['syllable', 3], // y, a, e
    ['2024', 1], // a number counts as one
  ])('%s has %i syllable(s)', (word, expected) => {
    expect(syllables(word)).toBe(expected);
  });

  it('documents its known misses', () => {
    expect(syllables('create')).toBe(1);
    expect(syllables('being')).toBe(1);
  });
});

describe('words, sentences and Flesch reading ease', () => {
  it('keeps contractions and hyphenated words whole and ignores punctuation', () => {
    expect(words("Don't panic — it's well-known, 42 times!")).toEqual(["Don't", 'panic', "it's", 'well-known', '42', 'times']);
  });

  it('ends a sentence at . ! ? followed by a space or the end', () => {
    expect(sentenceCount('One. Two! Three? Version 2.5 is out')).toBe(4);
    expect(sentenceCount('...')).toBe(0);
  });

  it('scores a two-sentence text worked by hand', () => {
    // S1 "Readability matters for every reader." → 5 words; syllables 5 + 2 + 1 + 3 + 2 = 13
    // S2 "Simple words make pages easy to read." → 7 words; syllables 2 + 1 + 1 + 2 + 2 + 1 + 1 = 10
    // 12 words, 2 sentences, 23 syllables:
    // 206.835 − 1.015 × (12 / 2) − 84.6 × (23 / 12) = 206.835 − 6.09 − 162.15 = 38.595 → 38.6
    const stats = textStats(parseMarkdown('Readability matters for every reader. Simple words make pages easy to read.').blocks);
    expect(stats).toEqual({ words: 12, sentences: 2, syllables: 23 });
    expect(fleschReadingEase(stats)).toBe(38.6);
    expect(readabilityBand(38.6)).toBe('difficult');
  });

  it('gives no score without words', () => {
    expect(fleschReadingEase({ words: 0, sentences: 0, syllables: 0 })).toBeNull();
  });
});

describe('keyword density', () => {
  it('counts whole-word phrase occurrences × words-in-keyword / total words', () => {
    // 9 words; "content marketing" occurs twice → 2 × 2 / 9 = 44.44 %
    const body = words('Content marketing works. Good content marketing needs a plan.');
    expect(body).toHaveLength(9);
    expect(keywordDensity(body, 'content marketing')).toEqual({ occurrences: 2, density: 44.44 });
    expect(keywordDensity(body, 'plan')).toEqual({ occurrences: 1, density: 11.11 }); // 1 × 1 / 9
    expect(keywordDensity(body, 'market')).toEqual({ occurrences: 0, density: 0 }); // whole words only
  });

  it('does not count overlapping occurrences twice', () => {
    expect(keywordDensity(['go', 'go', 'go'], 'go go').occurrences).toBe(1);
  });
});

describe('body parsing', () => {
  it('reads markdown headings, list items, links and autolinks, skipping code and images', () => {
    const parsed = parseMarkdown(
      [
        '# Guide to SEO',
        '',
        'Read [our tips](/tips "Tips") and <https://example.org/x>.',
        '![logo](/logo.png)',
        '',
        '```',
        'const notProse = 1;',
        '```',
        '## Basics ##',
        '- First item',
        '1. Second item',
        '#### Deep',
      ].join('\n'),
    );
    expect(parsed.headings).toEqual([
      { level: 1, text: 'Guide to SEO' },
      { level: 2, text: 'Basics' },
      { level: 4, text: 'Deep' },
    ]);
    expect(parsed.links).toEqual([
      { url: '/tips', text: 'our tips' },
      { url: 'https://example.org/x', text: 'https://example.org/x' },
    ]);
    expect(parsed.blocks).toEqual([
      'Guide to SEO',
      'Read our tips and https://example.org/x.',
      'Basics',
      'First item',
      'Second item',
      'Deep',
    ]);
  });

  it('reads HTML headings, anchors and block text, dropping scripts and comments', () => {
    const parsed = parseHtml(
      '<h1 class="t">Big &amp; bold</h1><p>See <a href="https://other.com/">this</a> and <a href=\'/about\'>us</a>.</p><script>var x = "<h2>no</h2>";</script><!-- <h2>no</h2> --><h3>Small</h3>',
    );
    expect(parsed.headings).toEqual([
      { level: 1, text: 'Big & bold' },
      { level: 3, text: 'Small' },
    ]);
    expect(parsed.links).toEqual([
      { url: 'https://other.com/', text: 'this' },
      { url: '/about', text: 'us' },
    ]);
    expect(parsed.blocks).toEqual(['Big & bold', 'See this and us .', 'Small']);
  });
});
