import type { TaskTypeDefinition } from '../../../tasks/task-type.js';
import { churnAnalysisTaskType } from './churn-analysis.task-type.js';
import { comprehensiveAnalysisTaskType } from './comprehensive-analysis.task-type.js';
import { customerSegmentationTaskType } from './customer-segmentation.task-type.js';
import { leadScoringTaskType } from './lead-scoring.task-type.js';
import { nurturingCampaignTaskType } from './nurturing-campaign.task-type.js';
import { pipelineOptimizationTaskType } from './pipeline-optimization.task-type.js';

/** The CRM's AI task types, in catalogue order; each `run` is the deterministic computation (numbers come from code). */
export function analysisTaskTypes(): TaskTypeDefinition[] {
  return [
    leadScoringTaskType(),
    customerSegmentationTaskType(),
    nurturingCampaignTaskType(),
    pipelineOptimizationTaskType(),
    churnAnalysisTaskType(),
    comprehensiveAnalysisTaskType(),
  ] as unknown as TaskTypeDefinition[];
}
