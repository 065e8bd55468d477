/**
 * The tenant's stored leads and customers in the shape the algorithms read, for scoring, segmentation and
 * churn analysis when a request posts no data of its own. Always filtered by tenant.
 */
import type { EntityManager } from 'typeorm';
import type { ChurnCustomer, CustomerRecord, LeadData, LeadScoreResult, RankedLead, SegmentationType } from '../algorithms/index.js';
import { MAX_LEADS } from '../algorithms/index.js';
import { CustomerEntity } from '../entities/customer.entity.js';
import { LeadEntity } from '../entities/lead.entity.js';

/** Most stored customers one analysis reads (the newest). */
export const MAX_STORED_CUSTOMERS = 100_000;
const DAY_MS = 86_400_000;

export interface StoredLeads {
  leads: LeadData[];
  /** Row id of each lead, in the same order. */
  ids: string[];
  total: number;
}

function defined<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== null && value !== undefined)) as T;
}

function daysSince(date: Date | null, now: Date): number | undefined {
  return date ? Math.max(0, Math.floor((now.getTime() - date.getTime()) / DAY_MS)) : undefined;
}

export async function loadStoredLeads(manager: EntityManager, tenantId: string): Promise<StoredLeads> {
  const repository = manager.getRepository(LeadEntity);
  const [rows, total] = await repository.findAndCount({ where: { tenantId }, order: { createdAt: 'DESC', id: 'DESC' }, take: MAX_LEADS });
  const leads = rows.map((row) =>
    defined<LeadData>({
      lead_id: row.externalId ?? row.id,
      email: row.email,
      company: row.company ?? undefined,
      role: row.role ?? undefined,
      company_size: row.companySize === null ? undefined : /^\d+$/.test(row.companySize) ? Number(row.companySize) : row.companySize,
      engagement_score: row.engagementScore ?? undefined,
      website_visits: row.websiteVisits ?? undefined,
      demo_requested: row.demoRequested ?? undefined,
      pricing_page_visits: row.pricingPageVisits ?? undefined,
      content_downloads: row.contentDownloads ?? undefined,
      last_activity_at: row.lastActivityAt?.toISOString(),
    }),
  );
  return { leads, ids: rows.map((row) => row.id), total };
}

/** Saves each stored lead's new score and grade (one statement for all of them). */
export async function saveLeadScores(
  manager: EntityManager,
  tenantId: string,
  ids: string[],
  results: (LeadScoreResult | RankedLead)[],
): Promise<void> {
  if (ids.length === 0) return;
  await manager.query(
    `UPDATE leads SET score = v.score, grade = v.grade, scored_at = now()
       FROM (SELECT unnest($1::uuid[]) AS id, unnest($2::float8[]) AS score, unnest($3::text[]) AS grade) v
      WHERE leads.id = v.id AND leads.tenant_id = $4`,
    [ids, results.map((result) => result.lead_score), results.map((result) => result.grade), tenantId],
  );
}

async function loadCustomerRows(manager: EntityManager, tenantId: string): Promise<{ rows: CustomerEntity[]; total: number }> {
  const [rows, total] = await manager
    .getRepository(CustomerEntity)
    .findAndCount({ where: { tenantId }, order: { createdAt: 'DESC', id: 'DESC' }, take: MAX_STORED_CUSTOMERS });
  return { rows, total };
}

/**
 * Stored customers for segmentation: the core fields, plus recency/frequency/monetary for rfm and
 * tenure/recency for lifecycle (recency from last_activity_at when no recency is stored). Only the fields the
 * type reads are passed, so stored extras never become clustering features by accident.
 */
export async function loadStoredCustomers(
  manager: EntityManager,
  tenantId: string,
  type: SegmentationType,
  now = new Date(),
): Promise<{ customers: CustomerRecord[]; total: number }> {
  const { rows, total } = await loadCustomerRows(manager, tenantId);
  const customers = rows.map((row) => {
    const recency = row.recencyDays ?? daysSince(row.lastActivityAt, now);
    return defined<CustomerRecord>({
      customer_id: row.externalId ?? row.id,
      ltv: row.ltv,
      engagement_score: row.engagementScore,
      churn_risk: row.churnRisk,
      ...(type === 'rfm' ? { recency, frequency: row.frequency, monetary: row.monetary } : {}),
      ...(type === 'lifecycle' ? { recency, tenure: row.tenureDays } : {}),
    });
  });
  return { customers, total };
}

/** Stored customers with every churn signal the model reads. */
export async function loadStoredChurnCustomers(
  manager: EntityManager,
  tenantId: string,
): Promise<{ customers: ChurnCustomer[]; total: number }> {
  const { rows, total } = await loadCustomerRows(manager, tenantId);
  const customers = rows.map((row) =>
    defined<ChurnCustomer>({
      customer_id: row.externalId ?? row.id,
      ltv: row.ltv,
      days_since_last_activity: row.recencyDays,
      last_activity_at: row.lastActivityAt?.toISOString(),
      engagement_score: row.engagementScore,
      engagement_trend: row.engagementTrend,
      support_tickets: row.supportTickets,
      payment_failures: row.paymentFailures,
      tenure_days: row.tenureDays,
      churn_risk: row.churnRisk,
    }),
  );
  return { customers, total };
}
