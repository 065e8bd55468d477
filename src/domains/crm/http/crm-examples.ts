interface ExampleObject {
  summary: string;
  value: unknown;
}

/** Swagger request examples of /api/crew/crm/*, taken from the reference README. */
export const CRM_EXAMPLES: Record<
  'leadScoring' | 'segmentation' | 'nurturing' | 'pipeline' | 'comprehensive',
  Record<string, ExampleObject>
> = {
  leadScoring: {
    readme: {
      summary: 'The reference README body',
      value: {
        lead_data: { email: 'prospect@company.com', company: 'TechCorp Inc', role: 'CTO', engagement_score: 85, website_visits: 12 },
        scoring_criteria: { engagement_weight: 0.3, demographic_weight: 0.4, behavior_weight: 0.3 },
      },
    },
    readme_test: {
      summary: "The README's quick test (unknown fields such as score are ignored)",
      value: { lead_data: { email: 'test@example.com', score: 85 } },
    },
    stored: { summary: "Score the tenant's stored leads (and save their scores)", value: { tenant_id: 'client_123' } },
  },
  segmentation: {
    readme: {
      summary: 'The README body shape with five customers (segment_count may not exceed the number of customers)',
      value: {
        customer_data: [
          { customer_id: 'cust_001', ltv: 15000, engagement_score: 92, churn_risk: 0.1 },
          { customer_id: 'cust_002', ltv: 12000, engagement_score: 85, churn_risk: 0.15 },
          { customer_id: 'cust_003', ltv: 800, engagement_score: 30, churn_risk: 0.7 },
          { customer_id: 'cust_004', ltv: 500, engagement_score: 20, churn_risk: 0.85 },
          { customer_id: 'cust_005', ltv: 4000, engagement_score: 60, churn_risk: 0.3 },
        ],
        segmentation_type: 'behavioral',
        segment_count: 5,
      },
    },
    stored: { summary: "Segment the tenant's stored customers (k by silhouette)", value: { segmentation_type: 'behavioral' } },
  },
  nurturing: {
    readme: {
      summary: 'The reference README body',
      value: {
        lead_segments: ['high_value_prospects', 'warm_leads'],
        campaign_objective: 'Convert prospects to demos',
        duration_days: 30,
        touchpoint_frequency: 'weekly',
      },
    },
  },
  pipeline: {
    readme: {
      summary: 'The README body with the worked example of the algorithms (200/80/40/20 deals, rates 0.4/0.5/0.5/0.5)',
      value: {
        pipeline_data: {
          stages: { lead: 200, qualified: 80, proposal: 40, negotiation: 20 },
          conversion_rates: { lead: 0.4, qualified: 0.5, proposal: 0.5, negotiation: 0.5 },
          average_deal_size: 25000,
          sales_cycle_length: 45,
        },
      },
    },
  },
  comprehensive: {
    posted: {
      summary: 'Leads, customers and the pipeline',
      value: {
        leads: [
          { email: 'prospect@company.com', company: 'TechCorp Inc', role: 'CTO', engagement_score: 85, website_visits: 12 },
          { email: 'jane@gmail.com', role: 'Marketing Manager', engagement_score: 40, website_visits: 3 },
        ],
        customers: [
          { customer_id: 'cust_001', ltv: 15000, engagement_score: 92, churn_risk: 0.1 },
          { customer_id: 'cust_002', ltv: 500, engagement_score: 20, churn_risk: 0.85, support_tickets: 4 },
          { customer_id: 'cust_003', ltv: 12000, engagement_score: 85, churn_risk: 0.15 },
        ],
        campaigns: { campaign_objective: 'Convert prospects to demos', duration_days: 30, touchpoint_frequency: 'weekly' },
        pipeline: {
          stages: { lead: 200, qualified: 80, proposal: 40, negotiation: 20 },
          conversion_rates: { lead: 0.4, qualified: 0.5, proposal: 0.5, negotiation: 0.5 },
          average_deal_size: 25000,
          sales_cycle_length: 45,
        },
      },
    },
    stored: { summary: "Analyse the tenant's stored leads and customers", value: {} },
  },
};
