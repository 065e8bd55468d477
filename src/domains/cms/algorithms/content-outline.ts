export const CONTENT_TYPES = ['blog_post', 'guide', 'landing_page', 'product_description'] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

export interface OutlineInput {
  topic: string;
  keywords: string[];
  audience: string | null;
  contentType: ContentType;
  targetWords: number | null;
  tone: string | null;
}

export interface OutlineSection {
  level: 2;
  heading: string;
  target_words: number;
  subsections: { level: 3; heading: string }[];
}

export interface ContentOutline {
  kind: 'outline';
  label: string;
  topic: string;
  audience: string | null;
  tone: string | null;
  content_type: ContentType;
  primary_keyword: string;
  secondary_keywords: string[];
  title_options: { title: string; length: number; within_ideal_length: boolean }[];
  meta_description_template: { template: string; guidance: string };
  target_length: { words: number; reading_time_minutes: number };
  structure: OutlineSection[];
  checklist: string[];
}

/** Default length and number of body sections per content type. */
export const CONTENT_TYPE_SHAPE: Record<ContentType, { words: number; sections: number }> = {
  blog_post: { words: 1200, sections: 4 },
  guide: { words: 2000, sections: 5 },
  landing_page: { words: 600, sections: 3 },
  product_description: { words: 300, sections: 2 },
};

const DEFAULT_THEMES = ['Key concepts', 'A step-by-step approach', 'Common mistakes to avoid', 'Tools and resources', 'Measuring results'];

export const OUTLINE_LABEL =
  'Deterministic outline, not a written draft: titles, headings, lengths and a meta description template computed from the topic, keywords and audience. With an LLM configured, cms_content_specialist writes the draft from this outline (in narrative).';

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
const titleLength = (title: string): number => [...title].length;
/** Words per minute used for the reading-time estimate. */
const READING_WPM = 200;

function titleOptions(topic: string, primary: string, audience: string | null): ContentOutline['title_options'] {
  const Topic = capitalize(topic);
  const Primary = capitalize(primary);
  const titles = [
    audience ? `${Topic}: A Practical Guide for ${capitalize(audience)}` : `${Topic}: A Practical Guide`,
    `How to Get Started with ${Primary}${audience ? ` for ${capitalize(audience)}` : ''}`,
    `${Primary} Explained: What ${audience ? capitalize(audience) : 'You'} Need to Know`,
  ];
  return [...new Set(titles)].map((title) => {
    const length = titleLength(title);
    return { title, length, within_ideal_length: length >= 50 && length <= 60 };
  });
}

function themeSubsections(theme: string, fromKeyword: boolean, audience: string | null): { level: 3; heading: string }[] {
  const who = audience ?? 'you';
  const headings = fromKeyword
    ? [`What ${theme} means for ${who}`, `How to apply ${theme}`, `${capitalize(theme)}: an example`]
    : [`${theme}: the essentials`, `${theme}: an example`];
  return headings.map((heading) => ({ level: 3, heading: capitalize(heading) }));
}

/**
 * An outline for a piece of content: three title options (with their lengths against the 50–60 ideal),
 * an introduction, one H2 per secondary keyword (or a default theme) with H3 subsections, a conclusion,
 * word targets (intro and conclusion 10 % each, the body sections share the rest, rounded to 10 words)
 * and a meta description template.
 */
export function buildOutline(input: OutlineInput): ContentOutline {
  const topic = input.topic.trim();
  const keywords = [...new Set(input.keywords.map((k) => k.trim()).filter(Boolean))];
  const primary = keywords[0] ?? topic;
  const secondary = keywords.slice(1);
  const shape = CONTENT_TYPE_SHAPE[input.contentType];
  const words = input.targetWords ?? shape.words;
  const themes = [
    ...secondary.map((k) => ({ theme: k, fromKeyword: true })),
    ...DEFAULT_THEMES.map((t) => ({ theme: t, fromKeyword: false })),
  ].slice(0, shape.sections);
  const edgeWords = Math.round((words * 0.1) / 10) * 10;
  const bodyWords = Math.round((words - 2 * edgeWords) / themes.length / 10) * 10;
  const audienceSuffix = input.audience ? ` for ${input.audience}` : '';
  const structure: OutlineSection[] = [
    {
      level: 2,
      heading: `Why ${topic} matters${audienceSuffix}`,
      target_words: edgeWords,
      subsections: [],
    },
    ...themes.map(({ theme, fromKeyword }) => ({
      level: 2 as const,
      heading: capitalize(theme),
      target_words: bodyWords,
      subsections: themeSubsections(theme, fromKeyword, input.audience),
    })),
    { level: 2, heading: 'Conclusion and next steps', target_words: edgeWords, subsections: [] },
  ];
  return {
    kind: 'outline',
    label: OUTLINE_LABEL,
    topic,
    audience: input.audience,
    tone: input.tone,
    content_type: input.contentType,
    primary_keyword: primary,
    secondary_keywords: secondary,
    title_options: titleOptions(topic, primary, input.audience),
    meta_description_template: {
      template: `${capitalize(primary)}${audienceSuffix}: {main benefit in a few words}. Learn ${themes
        .slice(0, 2)
        .map((t) => t.theme.toLowerCase())
        .join(' and ')} — {call to action}.`,
      guidance: 'Fill the {placeholders}; keep the result 120–160 characters with the primary keyword in the first half.',
    },
    target_length: { words, reading_time_minutes: Math.max(1, Math.ceil(words / READING_WPM)) },
    structure,
    checklist: [
      `Use "${primary}" in the title, the H1, the first paragraph and the meta description.`,
      `Keep "${primary}" at 0.5–3 % of the words.`,
      'Use one H1 and go down one heading level at a time.',
      'Link 2–3 related pages of the site and 1–2 authoritative sources.',
      'Aim for a Flesch reading ease of 60 or more: short sentences, plain words.',
      ...(input.tone ? [`Keep a ${input.tone} tone throughout.`] : []),
    ],
  };
}
