import { Injectable } from '@nestjs/common';
import { IsArray, IsIn, IsInt, IsObject, IsOptional, Max, Min } from 'class-validator';
import type { AgentDefinition, ToolDefinition } from '../../agents/agent.types.js';
import { DomainSupervisor, type DomainSupervisorProvider } from '../../delegation/domain-supervisor.js';
import type { TaskTypeDefinition } from '../../delegation/task-type.js';
import {
  type CustomerRecord,
  type LeadData,
  runLeadScoring,
  SEGMENTATION_TYPES,
  segmentCustomers,
  validateLeadScoringRequest,
  validateSegmentationRequest,
} from './algorithms/index.js';
import { CRM_AGENTS } from './crm.agents.js';

export class LeadScoringParams {
  @IsOptional()
  @IsObject()
  lead_data?: LeadData;

  @IsOptional()
  @IsArray()
  leads?: LeadData[];

  @IsOptional()
  @IsObject()
  scoring_criteria?: Record<string, number>;
}

export class SegmentationParams {
  @IsArray()
  customer_data: CustomerRecord[];

  @IsOptional()
  @IsIn(SEGMENTATION_TYPES)
  segmentation_type?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  segment_count?: number;
}

export class ComprehensiveAnalysisParams {
  @IsOptional()
  @IsArray()
  leads?: LeadData[];

  @IsOptional()
  @IsArray()
  customers?: CustomerRecord[];

  /** Metric name → values in time order (analysed by the analytics domain in a crew). */
  @IsOptional()
  @IsObject()
  metrics?: Record<string, number[]>;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  segment_count?: number;
}

const OBJECT_SCHEMA = { type: 'object' };

function leadScoring(parameters: LeadScoringParams): unknown {
  return runLeadScoring({ lead_data: parameters.lead_data, leads: parameters.leads, scoring_criteria: parameters.scoring_criteria });
}

function segmentation(parameters: SegmentationParams): unknown {
  return segmentCustomers({
    customer_data: parameters.customer_data,
    segmentation_type: parameters.segmentation_type,
    segment_count: parameters.segment_count,
  });
}

const segmentationInput = (p: ComprehensiveAnalysisParams): SegmentationParams => ({
  customer_data: p.customers ?? [],
  segmentation_type: 'behavioral',
  segment_count: p.segment_count ?? Math.min(4, Math.max(1, (p.customers ?? []).length)),
});

/** The CRM domain: lead scoring, customer segmentation and the comprehensive (crew) analysis. */
@Injectable()
@DomainSupervisor()
export class CrmSupervisor implements DomainSupervisorProvider {
  readonly domain = 'crm' as const;

  agents(): AgentDefinition[] {
    return CRM_AGENTS;
  }

  tools(): ToolDefinition[] {
    return [];
  }

  taskTypes(): TaskTypeDefinition[] {
    const scoring: TaskTypeDefinition<LeadScoringParams> = {
      type: 'crm_lead_scoring',
      domain: 'crm',
      description:
        'Scores and qualifies one lead (lead_data) or a list (leads): weighted demographic, engagement and behaviour factors, grade and next action.',
      complexity: 'moderate',
      strategy: 'single_agent',
      supportedStrategies: ['single_agent', 'multi_agent', 'crew_workflow'],
      requiresAi: true,
      agent: 'crm_lead_specialist',
      parameters: LeadScoringParams,
      resultSchema: OBJECT_SCHEMA,
      check: (p) => validateLeadScoringRequest(p),
      run: (_context, p) => Promise.resolve({ aiMode: 'deterministic', result: leadScoring(p) }),
    };
    const segmentationType: TaskTypeDefinition<SegmentationParams> = {
      type: 'crm_customer_segmentation',
      domain: 'crm',
      description:
        'Segments customers (k-means++ on standardised features, or rule-based by type) with segment profiles and quality measures.',
      complexity: 'complex',
      strategy: 'multi_agent',
      supportedStrategies: ['single_agent', 'multi_agent', 'crew_workflow'],
      requiresAi: true,
      agent: 'crm_customer_specialist',
      parameters: SegmentationParams,
      resultSchema: OBJECT_SCHEMA,
      check: (p) => validateSegmentationRequest(p),
      run: (_context, p) => Promise.resolve({ aiMode: 'deterministic', result: segmentation(p) }),
    };
    const comprehensive: TaskTypeDefinition<ComprehensiveAnalysisParams> = {
      type: 'comprehensive_crm_analysis',
      domain: 'crm',
      description:
        'Full CRM analysis: lead scoring and customer segmentation by the CRM specialists, metric insights by the analytics domain, synthesised by the supervisors.',
      complexity: 'expert',
      strategy: 'crew_workflow',
      supportedStrategies: ['single_agent', 'multi_agent', 'crew_workflow'],
      requiresAi: true,
      agent: 'crm_supervisor',
      parameters: ComprehensiveAnalysisParams,
      resultSchema: OBJECT_SCHEMA,
      check: (p) => {
        if (!p.leads?.length && !p.customers?.length) return [{ field: '', message: 'give leads, customers or both' }];
        return [
          ...(p.leads?.length
            ? validateLeadScoringRequest({ leads: p.leads }).map((e) => ({ ...e, field: e.field.replace(/^leads/, 'leads') }))
            : []),
          ...(p.customers?.length
            ? validateSegmentationRequest(segmentationInput(p)).map((e) => ({
                ...e,
                field: e.field.replace(/^customer_data/, 'customers'),
              }))
            : []),
        ];
      },
      plan: [
        {
          id: 'leads',
          agent: 'crm_lead_specialist',
          instructions: 'Score the leads',
          taskType: 'crm_lead_scoring',
          parameters: (p) => ({ leads: p.leads }),
          when: (p) => Boolean(p.leads?.length),
        },
        {
          id: 'customers',
          agent: 'crm_customer_specialist',
          instructions: 'Segment the customers',
          taskType: 'crm_customer_segmentation',
          parameters: segmentationInput,
          when: (p) => Boolean(p.customers?.length),
        },
      ],
      crewPlan: [
        {
          id: 'leads',
          agent: 'crm_supervisor',
          instructions: 'Score the leads',
          taskType: 'crm_lead_scoring',
          parameters: (p) => ({ leads: p.leads }),
          when: (p) => Boolean(p.leads?.length),
        },
        {
          id: 'customers',
          agent: 'crm_supervisor',
          instructions: 'Segment the customers',
          taskType: 'crm_customer_segmentation',
          parameters: segmentationInput,
          when: (p) => Boolean(p.customers?.length),
        },
        {
          id: 'metrics',
          agent: 'analytics_supervisor',
          instructions: 'Find trends and anomalies in the CRM metrics',
          taskType: 'analytics_insights_generation',
          parameters: (p) => ({ metrics: p.metrics }),
          when: (p) => Boolean(p.metrics && Object.keys(p.metrics).length),
        },
      ],
      synthesize: (results) => ({
        lead_scoring: results.leads ?? null,
        segmentation: results.customers ?? null,
        insights: results.metrics ?? null,
        parts: Object.keys(results).sort(),
      }),
      run: (_context, p) =>
        Promise.resolve({
          aiMode: 'deterministic',
          result: {
            lead_scoring: p.leads?.length ? leadScoring({ leads: p.leads }) : null,
            segmentation: p.customers?.length ? segmentation(segmentationInput(p)) : null,
            insights: null,
            parts: [...(p.leads?.length ? ['leads'] : []), ...(p.customers?.length ? ['customers'] : [])],
          },
        }),
    };
    return [scoring, segmentationType, comprehensive] as unknown as TaskTypeDefinition[];
  }
}
