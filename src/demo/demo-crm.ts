import type { Faker } from '@faker-js/faker';
import type { CustomerEntity } from '../domains/crm/entities/customer.entity.js';
import type { DealEntity } from '../domains/crm/entities/deal.entity.js';
import type { LeadEntity } from '../domains/crm/entities/lead.entity.js';
import { DEMO_TENANT } from './demo.constants.js';
import { type DemoClock, demoRef, demoUuid, isoDay } from './demo-ids.js';

/** How a demo customer behaves: it shapes every signal, its orders, its subscription and its payments. */
export type Archetype = 'champion' | 'loyal' | 'promising' | 'at_risk' | 'hibernating';

type Range = readonly [number, number];

interface ArchetypeProfile {
  count: number;
  ltv: Range;
  engagement: Range;
  trend: Range;
  /** Days since the last activity. */
  recency: Range;
  tenure: Range;
  tickets: Range;
  churnRisk: Range;
  /** Relative share of the orders (0: no orders in the last 90 days). */
  orderWeight: number;
}

/** 200 customers in five behaviours, in fixed numbers so the analyses' answers are the same on every install. */
export const ARCHETYPES: Record<Archetype, ArchetypeProfile> = {
  champion: {
    count: 30,
    ltv: [10000, 40000],
    engagement: [80, 98],
    trend: [0, 15],
    recency: [0, 7],
    tenure: [400, 1500],
    tickets: [0, 2],
    churnRisk: [0.02, 0.1],
    orderWeight: 5,
  },
  loyal: {
    count: 50,
    ltv: [3000, 10000],
    engagement: [60, 80],
    trend: [-5, 10],
    recency: [1, 21],
    tenure: [300, 1200],
    tickets: [0, 3],
    churnRisk: [0.08, 0.2],
    orderWeight: 3,
  },
  promising: {
    count: 40,
    ltv: [200, 1500],
    engagement: [55, 80],
    trend: [0, 20],
    recency: [0, 14],
    tenure: [20, 120],
    tickets: [0, 2],
    churnRisk: [0.15, 0.3],
    orderWeight: 2,
  },
  at_risk: {
    count: 50,
    ltv: [2000, 12000],
    engagement: [25, 50],
    trend: [-20, 0],
    recency: [20, 75],
    tenure: [200, 900],
    tickets: [1, 5],
    churnRisk: [0.3, 0.55],
    orderWeight: 1,
  },
  hibernating: {
    count: 30,
    ltv: [200, 1500],
    engagement: [5, 25],
    trend: [-20, 0],
    recency: [95, 200],
    tenure: [150, 800],
    tickets: [0, 4],
    churnRisk: [0.65, 0.9],
    orderWeight: 0,
  },
};

const INDUSTRIES = ['Retail', 'Software', 'Healthcare', 'Manufacturing', 'Financial services', 'Education', 'Logistics', 'Media'];
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'NL', 'CA', 'AU', 'ES', 'SE', 'IE'];

/** A customer row and its behaviour (the behaviour is not stored: the analyses have to find it). */
export interface DemoCustomer {
  row: CustomerEntity;
  archetype: Archetype;
}

const between = (faker: Faker, [min, max]: Range): number => faker.number.int({ min, max });
const decimal = (faker: Faker, [min, max]: Range, fractionDigits: number): number => faker.number.float({ min, max, fractionDigits });

/** A company e-mail address for a person (their company's domain, made from its name). */
function companyEmail(faker: Faker, firstName: string, lastName: string, company: string): string {
  const domain = `${company.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`;
  return faker.internet.email({ firstName, lastName, provider: domain }).toLowerCase();
}

/**
 * The customers. Frequency, monetary value and payment failures are filled in later from the generated orders
 * and payments, so every figure of a customer agrees with the records behind it.
 */
export function demoCustomers(faker: Faker, clock: DemoClock): DemoCustomer[] {
  const archetypes = faker.helpers.shuffle(
    (Object.keys(ARCHETYPES) as Archetype[]).flatMap((archetype) => Array<Archetype>(ARCHETYPES[archetype].count).fill(archetype)),
  );
  return archetypes.map((archetype, index) => {
    const profile = ARCHETYPES[archetype];
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    const company = faker.company.name();
    const recency = between(faker, profile.recency);
    const tenure = Math.max(between(faker, profile.tenure), recency + 1);
    const lastActivityAt = clock.ago(recency, faker.number.int({ min: 1, max: 1439 }));
    const createdAt = clock.ago(tenure, faker.number.int({ min: 1, max: 1439 }));
    const row: CustomerEntity = {
      id: demoUuid('customer', index + 1),
      tenantId: DEMO_TENANT,
      externalId: demoRef('cust', index + 1),
      name: `${firstName} ${lastName}`,
      email: companyEmail(faker, firstName, lastName, company),
      company,
      ltv: Math.round(between(faker, profile.ltv) / 10) * 10,
      engagementScore: between(faker, profile.engagement),
      churnRisk: decimal(faker, profile.churnRisk, 2),
      engagementTrend: between(faker, profile.trend),
      lastActivityAt,
      recencyDays: recency,
      frequency: 0,
      monetary: 0,
      tenureDays: tenure,
      supportTickets: between(faker, profile.tickets),
      paymentFailures: 0,
      attributes: { industry: faker.helpers.arrayElement(INDUSTRIES), country: faker.helpers.arrayElement(COUNTRIES) },
      createdAt,
      updatedAt: lastActivityAt,
    };
    return { row, archetype };
  });
}

const ROLES = [
  { value: 'CEO', weight: 6 },
  { value: 'CTO', weight: 8 },
  { value: 'VP Sales', weight: 8 },
  { value: 'VP Marketing', weight: 8 },
  { value: 'Head of Operations', weight: 8 },
  { value: 'Director of IT', weight: 8 },
  { value: 'Marketing Manager', weight: 12 },
  { value: 'Sales Manager', weight: 10 },
  { value: 'Product Manager', weight: 10 },
  { value: 'Analyst', weight: 8 },
  { value: 'Software Engineer', weight: 8 },
  { value: 'Consultant', weight: 4 },
  { value: 'Student', weight: 2 },
];
const COMPANY_SIZES = ['1-10', '11-50', '51-200', '201-500', '501-1000', '1000+'];
const FREE_PROVIDERS = ['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com'];
const SOURCES = [
  { value: 'organic_search', weight: 30 },
  { value: 'paid_search', weight: 20 },
  { value: 'webinar', weight: 15 },
  { value: 'referral', weight: 15 },
  { value: 'event', weight: 10 },
  { value: 'linkedin', weight: 10 },
];
const LEAD_STATUSES = [
  { value: 'new', weight: 45 },
  { value: 'contacted', weight: 25 },
  { value: 'nurturing', weight: 15 },
  { value: 'qualified', weight: 10 },
  { value: 'disqualified', weight: 5 },
];

export const DEMO_LEADS = 150;

/** Leads from the last 60 days: company or free e-mail, role, company size, engagement and buying signals. */
export function demoLeads(faker: Faker, clock: DemoClock): LeadEntity[] {
  return Array.from({ length: DEMO_LEADS }, (_, index): LeadEntity => {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    const hasCompany = faker.datatype.boolean({ probability: 0.85 });
    const company = hasCompany ? faker.company.name() : null;
    const workEmail = company !== null && faker.datatype.boolean({ probability: 0.8 });
    const email = workEmail
      ? companyEmail(faker, firstName, lastName, company)
      : faker.internet.email({ firstName, lastName, provider: faker.helpers.arrayElement(FREE_PROVIDERS) }).toLowerCase();
    // Engaged leads visit more and ask for demos more often.
    const engagement = faker.number.int({ min: 0, max: 100 });
    const hot = engagement >= 70;
    const activityDays = faker.number.int({ min: 0, max: 60 });
    const lastActivityAt = clock.ago(activityDays, faker.number.int({ min: 1, max: 1439 }));
    return {
      id: demoUuid('lead', index + 1),
      tenantId: DEMO_TENANT,
      externalId: demoRef('lead', index + 1),
      email,
      name: `${firstName} ${lastName}`,
      company,
      role: faker.helpers.weightedArrayElement(ROLES),
      companySize: company === null ? null : faker.helpers.arrayElement(COMPANY_SIZES),
      engagementScore: engagement,
      websiteVisits: faker.number.int({ min: 0, max: hot ? 40 : 12 }),
      demoRequested: faker.datatype.boolean({ probability: hot ? 0.35 : 0.04 }),
      pricingPageVisits: faker.datatype.boolean({ probability: hot ? 0.7 : 0.25 }) ? faker.number.int({ min: 1, max: 6 }) : 0,
      contentDownloads: faker.number.int({ min: 0, max: hot ? 5 : 2 }),
      lastActivityAt,
      source: faker.helpers.weightedArrayElement(SOURCES),
      status: faker.helpers.weightedArrayElement(LEAD_STATUSES),
      score: null,
      grade: null,
      scoredAt: null,
      attributes: {},
      createdAt: new Date(lastActivityAt.getTime() - faker.number.int({ min: 0, max: 30 }) * 86_400_000),
      updatedAt: lastActivityAt,
    };
  });
}

/** Deals per pipeline stage, in stage order, with each stage's win probability. */
export const DEAL_STAGES = [
  { stage: 'lead', count: 24, probability: 0.1 },
  { stage: 'qualified', count: 20, probability: 0.25 },
  { stage: 'proposal', count: 14, probability: 0.5 },
  { stage: 'negotiation', count: 8, probability: 0.7 },
  { stage: 'closed_won', count: 9, probability: 1 },
  { stage: 'closed_lost', count: 5, probability: 0 },
] as const;

const DEAL_KINDS = ['annual plan', 'expansion', 'renewal', 'pilot', 'platform migration', 'add-on seats'];

/** Deals in every pipeline stage: open ones close ahead, closed ones closed in the last 60 days. */
export function demoDeals(faker: Faker, clock: DemoClock, customers: DemoCustomer[], leads: LeadEntity[]): DealEntity[] {
  const accounts = customers.filter((c) => c.archetype === 'champion' || c.archetype === 'loyal').map((c) => c.row);
  const prospects = leads.filter((lead) => lead.company !== null && lead.status !== 'disqualified');
  let n = 0;
  return DEAL_STAGES.flatMap(({ stage, count, probability }) =>
    Array.from({ length: count }, (): DealEntity => {
      n += 1;
      const closed = stage === 'closed_won' || stage === 'closed_lost';
      const existing = closed || faker.datatype.boolean({ probability: 0.4 });
      const customer = existing ? faker.helpers.arrayElement(accounts) : null;
      const lead = customer === null ? faker.helpers.arrayElement(prospects) : null;
      // A closed deal sits in its final stage since it closed; an open one for up to 45 days.
      const closedDaysAgo = faker.number.int({ min: 1, max: 60 });
      const daysInStage = closed ? closedDaysAgo : faker.number.int({ min: 0, max: 45 });
      const closeDate = closed ? clock.ago(closedDaysAgo) : clock.ahead(faker.number.int({ min: 7, max: 90 }));
      const createdAt = clock.ago(daysInStage + faker.number.int({ min: 5, max: 60 }), faker.number.int({ min: 1, max: 1439 }));
      return {
        id: demoUuid('deal', n),
        tenantId: DEMO_TENANT,
        externalId: demoRef('deal', n),
        name: `${customer?.company ?? lead?.company ?? 'Prospect'} ${faker.helpers.arrayElement(DEAL_KINDS)}`,
        stage,
        amount: faker.number.int({ min: 30, max: 900 }) * 100,
        currency: 'USD',
        probability,
        customerId: customer?.id ?? null,
        leadId: lead?.id ?? null,
        expectedCloseDate: isoDay(closeDate),
        daysInStage,
        attributes: {},
        createdAt,
        updatedAt: clock.ago(daysInStage, faker.number.int({ min: 1, max: 1439 })),
      };
    }),
  );
}
