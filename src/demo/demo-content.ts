import type { Faker } from '@faker-js/faker';
import type { ContentItemEntity } from '../domains/cms/entities/content-item.entity.js';
import { DEMO_TENANT } from './demo.constants.js';
import { type DemoClock, demoRef, demoUuid } from './demo-ids.js';

export const DEMO_CONTENT_ITEMS = 30;

/** Topics of the shop's blog and help pages: the primary keyword first. */
const TOPICS = [
  ['customer retention', 'loyalty'],
  ['email marketing', 'newsletter'],
  ['inventory management', 'stock levels'],
  ['subscription pricing', 'plans'],
  ['lead scoring', 'sales qualification'],
  ['sales pipeline', 'forecasting'],
  ['content strategy', 'blogging'],
  ['churn reduction', 'customer success'],
  ['customer onboarding', 'activation'],
  ['holiday sales', 'promotions'],
] as const;

const TITLES = [
  (kw: string, year: number) => `How to improve ${kw} in ${year}`,
  (kw: string) => `${capitalise(kw)}: a practical guide for growing online stores`,
  (kw: string) => `7 ${kw} mistakes small teams make (and how to avoid them)`,
  (kw: string) => `${capitalise(kw)} explained`,
  (kw: string) => `What we learned about ${kw} from 1,000 customers`,
  (kw: string) => `The complete checklist for ${kw} that our support team uses every single week`,
];

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
const slugOf = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** One readable sentence: now and then a plain claim about the primary or secondary keyword, mostly Faker's phrases. */
function sentence(faker: Faker, keyword: string, secondary: string): string {
  return faker.helpers.weightedArrayElement([
    {
      weight: 0.5,
      value: () => `Teams that invest in ${keyword} see ${faker.number.int({ min: 10, max: 40 })}% better results within a quarter.`,
    },
    { weight: 0.5, value: () => `A good ${keyword} plan is simple to explain and easy to repeat.` },
    { weight: 0.5, value: () => `Do not forget ${secondary}: it is where most of the gains hide.` },
    { weight: 3, value: () => capitalise(faker.hacker.phrase()) },
    { weight: 2, value: () => faker.commerce.productDescription() },
    {
      weight: 2,
      value: () =>
        `Start with the customers you already have, then measure what changed after ${faker.number.int({ min: 2, max: 8 })} weeks.`,
    },
    { weight: 2, value: () => `Our team uses a short weekly review to ${faker.company.buzzVerb()} ${faker.company.buzzNoun()}.` },
  ])();
}

function paragraph(faker: Faker, keyword: string, secondary: string): string {
  // Faker's product descriptions may lack the final full stop.
  return Array.from({ length: faker.number.int({ min: 3, max: 6 }) }, () =>
    sentence(faker, keyword, secondary).replace(/(?<![.!?])$/, '.'),
  ).join(' ');
}

/** A markdown article: an H1, an intro, two to five H2 sections with paragraphs, and internal and external links. */
function article(faker: Faker, title: string, keyword: string, secondary: string, related: string[]): string {
  const sections = faker.number.int({ min: 2, max: 5 });
  const parts = [`# ${title}`, paragraph(faker, keyword, secondary)];
  for (let i = 0; i < sections; i++) {
    parts.push(`## ${capitalise(faker.company.catchPhrase())}`);
    for (let p = faker.number.int({ min: 1, max: 3 }); p > 0; p--) parts.push(paragraph(faker, keyword, secondary));
  }
  const links = related.map((slug) => `[${slug.replace(/-/g, ' ')}](/blog/${slug})`);
  if (faker.datatype.boolean({ probability: 0.6 })) links.push(`[${faker.company.name()}](https://www.${faker.internet.domainName()})`);
  if (links.length > 0) parts.push(`Read next: ${links.join(', ')}.`);
  return parts.join('\n\n');
}

/** A meta description: mostly of the right length, some too short, some missing. */
function metaDescription(faker: Faker, keyword: string): string | null {
  const kind = faker.helpers.weightedArrayElement([
    { value: 'good', weight: 60 },
    { value: 'short', weight: 20 },
    { value: 'missing', weight: 20 },
  ]);
  if (kind === 'missing') return null;
  if (kind === 'short') return `All about ${keyword}.`;
  let text = `Learn how ${keyword} works for online stores: what to measure, what to change first, and the mistakes to avoid.`;
  while (text.length < 125) text += ` ${capitalise(faker.company.buzzPhrase())}.`;
  return text.length > 158 ? `${text.slice(0, 157).trimEnd()}…` : text;
}

/**
 * 30 blog articles and help pages (22 published, 8 drafts) by four authors: titles of every length, bodies of
 * 150–900 words, some meta descriptions missing or short — so the SEO audit finds something different in each.
 */
export function demoContent(faker: Faker, clock: DemoClock): ContentItemEntity[] {
  const authors = Array.from({ length: 4 }, () => faker.person.fullName());
  const drafts = Array.from({ length: DEMO_CONTENT_ITEMS }, (_, index) => {
    const [keyword, secondary] = TOPICS[index % TOPICS.length];
    const title = faker.helpers.arrayElement(TITLES)(keyword, clock.end.getUTCFullYear());
    return { keyword, secondary, title, slug: `${slugOf(title)}-${index + 1}` };
  });
  return drafts.map(({ keyword, secondary, title, slug }, index): ContentItemEntity => {
    const related = faker.helpers.arrayElements(
      drafts.filter((_, other) => other !== index).map((draft) => draft.slug),
      { min: 0, max: 2 },
    );
    const published = index < 22;
    const createdAt = clock.ago(faker.number.int({ min: 10, max: 120 }), faker.number.int({ min: 1, max: 1439 }));
    const publishedAt = published ? new Date(createdAt.getTime() + faker.number.int({ min: 1, max: 9 }) * 86_400_000) : null;
    return {
      id: demoUuid('content', index + 1),
      tenantId: DEMO_TENANT,
      externalId: demoRef('post', index + 1),
      title,
      slug,
      body: article(faker, title, keyword, secondary, related),
      format: 'markdown',
      metaDescription: metaDescription(faker, keyword),
      keywords: [keyword, secondary],
      status: published ? 'published' : 'draft',
      publishedAt,
      author: faker.helpers.arrayElement(authors),
      createdAt,
      updatedAt: publishedAt ?? createdAt,
    };
  });
}
