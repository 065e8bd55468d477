/**
 * Seeded test data for the CRM algorithms: factories with overrides and synthetic populations with planted
 * structure. Used by the specs and the benchmarks; never by production code.
 */
import type { LeadData } from '../../../src/domains/crm/algorithms/lead-scoring.js';
import { createSeededRandom, randomInt, randomNormal, type RandomSource } from '../../../src/domains/crm/algorithms/seeded-random.js';
import type { CustomerRecord } from '../../../src/domains/crm/algorithms/customer-segmentation-validation.js';
import { clamp } from '../../../src/domains/crm/algorithms/stats.js';

/** The reference README's lead, with overrides. */
export function makeLead(overrides: Partial<LeadData> = {}): LeadData {
  return { email: 'prospect@company.com', company: 'TechCorp Inc', role: 'CTO', engagement_score: 85, website_visits: 12, ...overrides };
}

export const JOB_TITLES = [
  'Chief Executive Officer',
  'CTO',
  'Co-Founder',
  'VP of Sales',
  'Head of Marketing',
  'Director of Engineering',
  'Marketing Manager',
  'Team Lead',
  'Software Engineer',
  'Accountant',
  'Marketing Intern',
  'Graduate Student',
] as const;

const COMPANIES = ['TechCorp Inc', 'Acme Widgets LLC', 'Globex Corporation', 'Initech', 'Umbrella Group', 'Hooli'];
const EMAIL_DOMAINS = ['techcorp.com', 'gmail.com', 'mailinator.com', 'example.org', 'acme.io'];

export function randomLead(random: RandomSource): LeadData {
  const lead: LeadData = {
    email: `person${randomInt(random, 10_000)}@${EMAIL_DOMAINS[randomInt(random, EMAIL_DOMAINS.length)]}`,
    company: COMPANIES[randomInt(random, COMPANIES.length)],
    role: JOB_TITLES[randomInt(random, JOB_TITLES.length)],
    engagement_score: Math.round(random() * 100),
    website_visits: randomInt(random, 40),
  };
  if (random() < 0.5) lead.company_size = 1 + randomInt(random, 5000);
  if (random() < 0.3) lead.demo_requested = true;
  if (random() < 0.3) lead.pricing_page_visits = randomInt(random, 4);
  if (random() < 0.3) lead.content_downloads = randomInt(random, 3);
  if (random() < 0.5) lead.days_since_last_activity = randomInt(random, 120);
  return lead;
}

export function makeCustomer(overrides: Partial<CustomerRecord> = {}): CustomerRecord {
  return { customer_id: 'cust_001', ltv: 15_000, engagement_score: 92, churn_risk: 0.1, ...overrides };
}

export interface PlantedCluster {
  size: number;
  ltv: number;
  engagement: number;
  churnRisk: number;
}

/** Four well-separated groups in (ln LTV, engagement, churn risk): champions, loyal, at risk, hibernating. */
export const DEFAULT_PLANTED_CLUSTERS: PlantedCluster[] = [
  { size: 300, ltv: 50_000, engagement: 85, churnRisk: 0.08 },
  { size: 500, ltv: 6_000, engagement: 60, churnRisk: 0.25 },
  { size: 400, ltv: 30_000, engagement: 25, churnRisk: 0.8 },
  { size: 600, ltv: 400, engagement: 15, churnRisk: 0.9 },
];

/** Customers drawn around planted centres; `labels[i]` is the cluster customer i was drawn from. */
export function plantedCustomers(
  seed: number,
  clusters: PlantedCluster[] = DEFAULT_PLANTED_CLUSTERS,
): { customers: CustomerRecord[]; labels: number[] } {
  const random = createSeededRandom(seed);
  const customers: CustomerRecord[] = [];
  const labels: number[] = [];
  clusters.forEach((cluster, label) => {
    for (let i = 0; i < cluster.size; i++) {
      customers.push({
        customer_id: `c${label}_${i}`,
        ltv: Math.round(cluster.ltv * Math.exp(randomNormal(random, 0, 0.15))),
        engagement_score: Math.round(clamp(randomNormal(random, cluster.engagement, 4), 0, 100)),
        churn_risk: Math.round(clamp(randomNormal(random, cluster.churnRisk, 0.03), 0, 1) * 1000) / 1000,
      });
      labels.push(label);
    }
  });
  return { customers, labels };
}

/** A broad, unstructured population for size and speed checks. */
export function randomCustomers(count: number, seed: number): CustomerRecord[] {
  const random = createSeededRandom(seed);
  return Array.from({ length: count }, (_, i) => ({
    customer_id: `cust_${i}`,
    ltv: Math.round(Math.exp(randomNormal(random, 8, 1.5))),
    engagement_score: Math.round(random() * 100),
    churn_risk: Math.round(random() * 1000) / 1000,
  }));
}
