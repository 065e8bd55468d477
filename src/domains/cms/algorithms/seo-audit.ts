import type { BodyFormat } from '../entities/content-item.entity.js';
import {
  containsPhrase,
  fleschReadingEase,
  type Heading,
  keywordDensity,
  parseBody,
  type RawLink,
  readabilityBand,
  round2,
  textStats,
  words,
} from './text-analysis.js';

export interface AuditInput {
  title: string;
  metaDescription: string | null;
  body: string;
  format: BodyFormat;
  keywords: string[];
  /** Host names whose absolute links count as internal (relative links always do). */
  siteHosts: string[];
}

export type Severity = 'high' | 'medium' | 'low';

export interface Finding {
  check: string;
  severity: Severity;
  message: string;
  fix: string;
  penalty: number;
}

/** The ideal ranges and thresholds the audit applies (also returned with every result). */
export const SEO_RULES = {
  title_length: { min: 50, max: 60 },
  meta_description_length: { min: 120, max: 160 },
  keyword_density_percent: { min: 0.5, max: 3 },
  flesch: { difficult_below: 60, very_difficult_below: 30 },
  min_words: 300,
  penalties: { high: 20, medium: 10, low: 5 },
} as const;

export interface KeywordMetric {
  keyword: string;
  occurrences: number;
  density_percent: number;
  in_title: boolean;
  in_meta_description: boolean;
  in_headings: boolean;
}

export interface AuditResult {
  status: 'ok' | 'not_enough_data';
  message: string | null;
  score: number | null;
  grade: 'good' | 'needs_work' | 'poor' | null;
  metrics: {
    title_length: number;
    meta_description_length: number;
    words: number;
    sentences: number;
    syllables: number;
    avg_words_per_sentence: number | null;
    avg_syllables_per_word: number | null;
    flesch_reading_ease: number | null;
    readability: string | null;
    headings: Heading[];
    h1_count: number;
    skipped_levels: { from: number; to: number; heading: string }[];
    links: { internal: number; external: number; other: number; total: number };
    keywords: KeywordMetric[];
  };
  findings: Finding[];
  rules: typeof SEO_RULES;
}

const length = (text: string | null): number => [...(text ?? '').trim()].length;

function finding(check: string, severity: Severity, message: string, fix: string): Finding {
  return { check, severity, message, fix, penalty: SEO_RULES.penalties[severity] };
}

/** internal: relative or on one of the site's hosts; external: http(s) elsewhere; other: mailto:, tel:, … */
export function classifyLink(url: string, siteHosts: readonly string[]): 'internal' | 'external' | 'other' {
  if (/^(?:#|\/(?!\/)|\.{1,2}\/)/.test(url) || !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(url)) return 'internal';
  if (!/^(?:https?:)?\/\//i.test(url)) return 'other';
  try {
    const host = new URL(url.startsWith('//') ? `https:${url}` : url).hostname.toLowerCase().replace(/^www\./, '');
    return siteHosts.some((site) => site.toLowerCase().replace(/^www\./, '') === host) ? 'internal' : 'external';
  } catch {
    return 'other';
  }
}

function countLinks(links: RawLink[], siteHosts: readonly string[]): AuditResult['metrics']['links'] {
  const counts = { internal: 0, external: 0, other: 0, total: links.length };
  for (const link of links) counts[classifyLink(link.url, siteHosts)] += 1;
  return counts;
}

/** Consecutive headings that go down more than one level (H2 → H4). */
export function skippedLevels(headings: readonly Heading[]): { from: number; to: number; heading: string }[] {
  const skips: { from: number; to: number; heading: string }[] = [];
  for (let i = 1; i < headings.length; i += 1) {
    if (headings[i].level > headings[i - 1].level + 1)
      skips.push({ from: headings[i - 1].level, to: headings[i].level, heading: headings[i].text });
  }
  return skips;
}

function lengthFinding(
  check: string,
  label: string,
  value: number,
  range: { min: number; max: number },
  missingFix: string,
): Finding | null {
  if (value === 0) return finding(`${check}_missing`, 'high', `The ${label} is missing.`, missingFix);
  if (value < range.min) {
    return finding(
      `${check}_too_short`,
      'medium',
      `The ${label} has ${value} characters; ${range.min}–${range.max} is ideal.`,
      `Add ${range.min - value}–${range.max - value} characters (the primary keyword, a concrete benefit).`,
    );
  }
  if (value > range.max) {
    return finding(
      `${check}_too_long`,
      'medium',
      `The ${label} has ${value} characters; ${range.min}–${range.max} is ideal and longer ones are cut off in search results.`,
      `Cut at least ${value - range.max} characters, keeping the primary keyword near the start.`,
    );
  }
  return null;
}

function keywordFindings(keywordMetrics: KeywordMetric[]): Finding[] {
  if (keywordMetrics.length === 0) {
    return [
      finding('no_target_keywords', 'low', 'No target keywords are set, so keyword use cannot be checked.', 'Set 1–5 target keywords.'),
    ];
  }
  const findings: Finding[] = [];
  const { min, max } = SEO_RULES.keyword_density_percent;
  for (const k of keywordMetrics) {
    if (k.occurrences === 0) {
      findings.push(
        finding(
          'keyword_missing',
          'high',
          `The keyword "${k.keyword}" does not appear in the body.`,
          `Use "${k.keyword}" in the first paragraph and in a subheading.`,
        ),
      );
    } else if (k.density_percent < min) {
      findings.push(
        finding(
          'keyword_underused',
          'low',
          `"${k.keyword}" has a density of ${k.density_percent}% (${min}–${max}% is healthy).`,
          `Use "${k.keyword}" a few more times where it reads naturally.`,
        ),
      );
    } else if (k.density_percent > max) {
      findings.push(
        finding(
          'keyword_stuffing',
          'medium',
          `"${k.keyword}" has a density of ${k.density_percent}%, above ${max}%: it reads as keyword stuffing.`,
          `Replace some uses of "${k.keyword}" with synonyms or pronouns.`,
        ),
      );
    }
  }
  const primary = keywordMetrics[0];
  if (!primary.in_title) {
    findings.push(
      finding(
        'keyword_not_in_title',
        'low',
        `The primary keyword "${primary.keyword}" is not in the title.`,
        `Put "${primary.keyword}" in the title, near the start.`,
      ),
    );
  }
  return findings;
}

function headingFindings(h1Count: number, skips: AuditResult['metrics']['skipped_levels']): Finding[] {
  const findings: Finding[] = [];
  if (h1Count === 0)
    findings.push(
      finding('no_h1', 'medium', 'The body has no H1 heading.', 'Start the body with one H1 that contains the primary keyword.'),
    );
  if (h1Count > 1)
    findings.push(
      finding(
        'multiple_h1',
        'medium',
        `The body has ${h1Count} H1 headings; a page should have one.`,
        'Keep one H1 and turn the others into H2.',
      ),
    );
  if (skips.length > 0) {
    const list = skips.map((s) => `H${s.from} → H${s.to} ("${s.heading}")`).join(', ');
    findings.push(
      finding(
        'skipped_heading_level',
        'low',
        `Heading levels are skipped: ${list}.`,
        'Go down one level at a time (H2 under H1, H3 under H2).',
      ),
    );
  }
  return findings;
}

/**
 * SEO audit of one content item: title and meta-description length, keyword density per target keyword,
 * Flesch reading ease, heading structure and links. Each finding has a severity and a fix; the score is
 * 100 minus the findings' penalties (high 20, medium 10, low 5), floored at 0.
 */
export function auditContent(input: AuditInput): AuditResult {
  const parsed = parseBody(input.body, input.format);
  const stats = textStats(parsed.blocks);
  const bodyWords = parsed.blocks.flatMap(words);
  const flesch = fleschReadingEase(stats);
  const h1Count = parsed.headings.filter((h) => h.level === 1).length;
  const skips = skippedLevels(parsed.headings);
  const headingText = parsed.headings.map((h) => h.text).join(' \n ');
  const keywords = [...new Set(input.keywords.map((k) => k.trim()).filter((k) => words(k).length > 0))];
  const keywordMetrics: KeywordMetric[] = keywords.map((keyword) => {
    const { occurrences, density } = keywordDensity(bodyWords, keyword);
    return {
      keyword,
      occurrences,
      density_percent: density,
      in_title: containsPhrase(input.title, keyword),
      in_meta_description: containsPhrase(input.metaDescription ?? '', keyword),
      in_headings: containsPhrase(headingText, keyword),
    };
  });
  const metrics: AuditResult['metrics'] = {
    title_length: length(input.title),
    meta_description_length: length(input.metaDescription),
    words: stats.words,
    sentences: stats.sentences,
    syllables: stats.syllables,
    avg_words_per_sentence: stats.sentences ? round2(stats.words / stats.sentences) : null,
    avg_syllables_per_word: stats.words ? round2(stats.syllables / stats.words) : null,
    flesch_reading_ease: flesch,
    readability: flesch === null ? null : readabilityBand(flesch),
    headings: parsed.headings,
    h1_count: h1Count,
    skipped_levels: skips,
    links: countLinks(parsed.links, input.siteHosts),
    keywords: keywordMetrics,
  };
  if (stats.words === 0) {
    return {
      status: 'not_enough_data',
      message: 'Not enough data: the body has no text to audit (0 words). Add the body and run the audit again.',
      score: null,
      grade: null,
      metrics,
      findings: [],
      rules: SEO_RULES,
    };
  }
  const findings = [
    lengthFinding(
      'title',
      'title',
      metrics.title_length,
      SEO_RULES.title_length,
      'Write a 50–60 character title with the primary keyword.',
    ),
    lengthFinding(
      'meta_description',
      'meta description',
      metrics.meta_description_length,
      SEO_RULES.meta_description_length,
      'Write a 120–160 character summary with the primary keyword and a reason to click.',
    ),
    ...keywordFindings(keywordMetrics),
    flesch !== null && flesch < SEO_RULES.flesch.very_difficult_below
      ? finding(
          'hard_to_read',
          'medium',
          `Flesch reading ease is ${flesch} (${readabilityBand(flesch)}).`,
          'Shorten sentences and prefer shorter words; aim for 60 or more.',
        )
      : flesch !== null && flesch < SEO_RULES.flesch.difficult_below
        ? finding(
            'fairly_difficult',
            'low',
            `Flesch reading ease is ${flesch} (${readabilityBand(flesch)}); 60+ suits most web readers.`,
            'Split long sentences and replace long words.',
          )
        : null,
    ...headingFindings(h1Count, skips),
    metrics.links.internal === 0
      ? finding('no_internal_links', 'low', 'The body links to no other page of the site.', 'Link 2–3 related pages of the site.')
      : null,
    metrics.links.external === 0
      ? finding('no_external_links', 'low', 'The body cites no external source.', 'Link one or two authoritative sources.')
      : null,
    stats.words < SEO_RULES.min_words
      ? finding(
          'thin_content',
          'low',
          `The body has ${stats.words} words; pages under ${SEO_RULES.min_words} rarely rank.`,
          `Expand the body to at least ${SEO_RULES.min_words} words of useful content.`,
        )
      : null,
  ].filter((f): f is Finding => f !== null);
  const score = Math.max(0, 100 - findings.reduce((sum, f) => sum + f.penalty, 0));
  return {
    status: 'ok',
    message: null,
    score,
    grade: score >= 80 ? 'good' : score >= 50 ? 'needs_work' : 'poor',
    metrics,
    findings,
    rules: SEO_RULES,
  };
}
