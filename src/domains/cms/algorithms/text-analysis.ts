import type { BodyFormat } from '../entities/content-item.entity.js';

export interface Heading {
  level: number;
  text: string;
}

export interface RawLink {
  url: string;
  text: string;
}

/** A body reduced to what the audit measures: text blocks (paragraphs, headings, list items), headings and links. */
export interface ParsedBody {
  blocks: string[];
  headings: Heading[];
  links: RawLink[];
}

export interface TextStats {
  words: number;
  sentences: number;
  syllables: number;
}

/**
 * A word: letters/digits, with inner apostrophes ("don't") and hyphens ("well-known") kept in one word.
 * Punctuation, markup and symbols are not words.
 */
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*(?:-[\p{L}\p{N}]+)*/gu;

export function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

/**
 * Sentences of one block: pieces ending in . ! or ? (followed by a space or the end), plus a final
 * unterminated piece; pieces without a word do not count. Each block (heading, list item, paragraph) ends
 * a sentence, so a heading without a full stop is one sentence.
 */
export function sentenceCount(block: string): number {
  return block.split(/[.!?]+(?=\s|$)/).filter((piece) => words(piece).length > 0).length;
}

/**
 * English syllables by a documented heuristic (no dictionary):
 * 1. lower-case and keep the letters a–z; no letters (a number) → 1; three letters or fewer → 1;
 * 2. drop a silent ending: "es" after a consonant other than l, s, x, z, c, g, h ("makes"; but "pages",
 *    "boxes", "wishes" keep it), "ed" after a consonant other than l, t, d ("jumped"; but "wanted"), or a
 *    final "e" after a consonant other than l ("rate"; "table" keeps "le");
 * 3. drop a leading "y" (a consonant: "yellow");
 * 4. count groups of consecutive vowels (a e i o u y); at least 1.
 * Known misses: "create" (1, is 2), "being" (1, is 2), "easier" (2, is 3) — good enough for a readability score.
 */
export function syllables(word: string): number {
  let w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (w.length <= 3) return 1;
  w = w.replace(/(?:[^laeiouysxzcgh]es|[^laeiouytd]ed|[^laeiouy]e)$/, '').replace(/^y/, '');
  return Math.max(1, w.match(/[aeiouy]+/g)?.length ?? 0);
}

export function textStats(blocks: readonly string[]): TextStats {
  let wordCount = 0;
  let sentenceTotal = 0;
  let syllableTotal = 0;
  for (const block of blocks) {
    const blockWords = words(block);
    wordCount += blockWords.length;
    sentenceTotal += sentenceCount(block);
    for (const word of blockWords) syllableTotal += syllables(word);
  }
  return { words: wordCount, sentences: sentenceTotal, syllables: syllableTotal };
}

/** Flesch reading ease = 206.835 − 1.015 (words/sentences) − 84.6 (syllables/words); null without words. */
export function fleschReadingEase(stats: TextStats): number | null {
  if (stats.words === 0 || stats.sentences === 0) return null;
  return round2(206.835 - 1.015 * (stats.words / stats.sentences) - 84.6 * (stats.syllables / stats.words));
}

export function readabilityBand(score: number): string {
  if (score >= 90) return 'very easy';
  if (score >= 80) return 'easy';
  if (score >= 70) return 'fairly easy';
  if (score >= 60) return 'standard';
  if (score >= 50) return 'fairly difficult';
  if (score >= 30) return 'difficult';
  return 'very difficult';
}

/**
 * Occurrences of a keyword phrase as a run of whole words (case-insensitive, non-overlapping) and its
 * density = occurrences × words-in-keyword / total words × 100 (percent).
 */
export function keywordDensity(bodyWords: readonly string[], keyword: string): { occurrences: number; density: number } {
  const target = words(keyword.toLowerCase());
  const tokens = bodyWords.map((word) => word.toLowerCase());
  if (target.length === 0 || tokens.length === 0) return { occurrences: 0, density: 0 };
  let occurrences = 0;
  for (let i = 0; i + target.length <= tokens.length;) {
    if (target.every((part, offset) => tokens[i + offset] === part)) {
      occurrences += 1;
      i += target.length;
    } else {
      i += 1;
    }
  }
  return { occurrences, density: round2(((occurrences * target.length) / tokens.length) * 100) };
}

export function containsPhrase(text: string, keyword: string): boolean {
  return keywordDensity(words(text), keyword).occurrences > 0;
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name.toLowerCase()] ?? match;
  });
}

function stripTags(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

const BLOCK_TAGS =
  /<\/?(?:p|div|h[1-6]|li|ul|ol|br|tr|td|th|table|blockquote|section|article|header|footer|main|nav|aside|pre|figure|figcaption|dd|dt)\b[^>]*>/gi;

/** HTML: <h1>–<h6>, <a href>, text split at block-level tags; scripts, styles and comments removed. */
export function parseHtml(html: string): ParsedBody {
  const cleaned = html.replace(/<!--[\s\S]*?-->/g, ' ').replace(/<(script|style|noscript)\b[\s\S]*?<\/\1\s*>/gi, ' ');
  const headings = [...cleaned.matchAll(/<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1\s*>/gi)].map((m) => ({
    level: Number(m[1]),
    text: stripTags(m[2]),
  }));
  const links = [...cleaned.matchAll(/<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>([\s\S]*?)<\/a\s*>/gi)].map((m) => ({
    url: decodeEntities((m[1] ?? m[2] ?? m[3] ?? '').trim()),
    text: stripTags(m[4]),
  }));
  const blocks = cleaned
    .replace(BLOCK_TAGS, '\n')
    .split('\n')
    .map(stripTags)
    .filter((block) => block.length > 0);
  return { blocks, headings, links };
}

const MD_LINK = /(!?)\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;

/** Markdown inline markup → plain text (images dropped, links keep their text). */
function markdownInline(text: string): string {
  return stripTags(
    text
      .replace(MD_LINK, (_match, bang: string, label: string) => (bang ? ' ' : label))
      .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
      .replace(/`([^`]*)`/g, '$1')
      .replace(/(\*\*|__|\*|_|~~)(?=\S)([\s\S]*?\S)\1/g, '$2'),
  );
}

/**
 * Markdown (CommonMark subset): ATX headings (# … ######), list items, paragraphs separated by blank
 * lines, [text](url) links and <https://…> autolinks; fenced code is not prose and is skipped. Setext
 * headings (underlined with === or ---) are read as paragraphs.
 */
export function parseMarkdown(markdown: string): ParsedBody {
  const source = markdown.replace(/\r\n?/g, '\n').replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  const headings: Heading[] = [];
  const blocks: string[] = [];
  const links: RawLink[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    const text = markdownInline(paragraph.join(' '));
    if (text) blocks.push(text);
    paragraph = [];
  };
  for (const line of source.split('\n')) {
    for (const m of line.matchAll(MD_LINK)) if (!m[1]) links.push({ url: m[3], text: markdownInline(m[2]) });
    for (const m of line.matchAll(/<(https?:\/\/[^>\s]+)>/g)) links.push({ url: m[1], text: m[1] });
    const heading = /^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    const item = /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      const text = markdownInline(heading[2]);
      headings.push({ level: heading[1].length, text });
      if (text) blocks.push(text);
    } else if (item) {
      flush();
      paragraph.push(item[1]);
      flush();
    } else if (line.trim() === '') {
      flush();
    } else {
      paragraph.push(line.trim().replace(/^>\s?/, ''));
    }
  }
  flush();
  return { blocks, headings, links };
}

export function parseBody(body: string, format: BodyFormat): ParsedBody {
  return format === 'html' ? parseHtml(body) : parseMarkdown(body);
}
