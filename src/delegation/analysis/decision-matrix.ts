import { STRATEGIES, type Complexity, type Strategy } from '../../tasks/task.types.js';
import { classifyCategory, type Category, type CategoryAnalysis } from './category.js';
import { analyzeComplexity, matchWords, tokenize, type ComplexityAnalysis, type ComplexitySignal } from './complexity.js';

export type Risk = 'low' | 'medium' | 'high';

/** An applied optimization (`routing_overrides`): tasks the matrix sends to `fromStrategy` go to `toStrategy`. */
export interface RoutingOverride {
  /** Only this task type; every type when absent. */
  taskType?: string;
  fromStrategy: Strategy;
  toStrategy: Strategy;
}

/** The catalogue entry's defaults (a `TaskTypeDefinition` fits). */
export interface CatalogueDefaults {
  complexity: Complexity;
  strategy: Strategy;
  requiresAi: boolean;
}

export interface DecisionInput {
  type: string;
  description: string;
  dataVolume?: number;
  parameters?: Readonly<Record<string, unknown>>;
  requiresAi?: boolean;
  multiDomain?: boolean;
  forceCrew?: boolean;
  /** As the caller sent it; an unknown name is reported in the reasoning and ignored. */
  preferredStrategy?: string;
  catalogue?: CatalogueDefaults;
  /** Strategies the type can run; absent means any. No rule chooses a strategy outside it. */
  supportedStrategies?: readonly Strategy[];
  overrides?: readonly RoutingOverride[];
}

export const DECISION_RULES = [
  'force_crew',
  'preferred_strategy',
  'routing_override',
  'multi_domain_crew',
  'expert_crew',
  'crud_direct_db',
  'integration_direct_api',
  'ai_complex_multi_agent',
  'ai_volume_multi_agent',
  'ai_moderate_single_agent',
  'ai_simple_single_agent',
  'catalogue_default',
  'no_ai_simple_direct',
  'no_ai_single_agent',
  'nearest_supported',
] as const;
export type DecisionRule = (typeof DECISION_RULES)[number];

export interface StrategyDecision {
  complexity: Complexity;
  category: Category;
  strategy: Strategy;
  /** 0..1, two decimals. */
  confidence: number;
  reasoning: string;
  risk: Risk;
  rule: DecisionRule;
  complexityScore: number;
  signals: ComplexitySignal[];
}

/** The words that make an integration task a plain transfer that a direct API call can do. */
export const TRANSFER_WORDS: readonly string[] = [
  'sync',
  'syncs',
  'syncing',
  'synchronize',
  'synchronise',
  'synchronization',
  'synchronisation',
  'import',
  'imports',
  'importing',
  'export',
  'exports',
  'exporting',
];

export const MULTI_AGENT_VOLUME = 10_000;

const RULE_CONFIDENCE: Readonly<Record<DecisionRule, number>> = {
  force_crew: 0.95,
  preferred_strategy: 0.95,
  routing_override: 0.85,
  multi_domain_crew: 0.9,
  expert_crew: 0.8,
  crud_direct_db: 0.9,
  integration_direct_api: 0.9,
  ai_complex_multi_agent: 0.85,
  ai_volume_multi_agent: 0.8,
  ai_moderate_single_agent: 0.85,
  ai_simple_single_agent: 0.75,
  catalogue_default: 0.9,
  no_ai_simple_direct: 0.7,
  no_ai_single_agent: 0.6,
  nearest_supported: 0.6,
};

/** Rules a caller or the optimizer chose; their confidence does not depend on the analysis. */
const CHOSEN_RULES: ReadonlySet<DecisionRule> = new Set(['force_crew', 'preferred_strategy', 'routing_override']);

const STRATEGY_RANK: Readonly<Record<Strategy, number>> = {
  direct_db: 0,
  direct_api: 0,
  single_agent: 1,
  multi_agent: 2,
  crew_workflow: 3,
};

interface Proposal {
  strategy: Strategy;
  rule: DecisionRule;
  sentence: string;
}

interface Facts {
  type: string;
  complexity: Complexity;
  category: Category;
  requiresAi: boolean;
  multiDomain: boolean;
  dataVolume: number;
  transferWords: string[];
  catalogue?: CatalogueDefaults;
}

/**
 * Chooses the strategy. Precedence, first match wins:
 * 1. `force_crew` → crew_workflow.
 * 2. a valid `preferred_strategy`.
 * 3. a routing override whose `fromStrategy` is what the matrix chose (a type-specific one before a global
 *    one) — overrides are measured corrections of the matrix, so they replace its answer but never an
 *    explicit caller choice.
 * 4. the matrix (`matrixRule`).
 * Every step honours `supportedStrategies`: an explicit choice the type cannot run is not applied (the
 * reasoning says why); a matrix or override answer it cannot run becomes the catalogue default, else the
 * nearest strategy it supports.
 */
export function decideStrategy(input: DecisionInput): StrategyDecision {
  if (input.supportedStrategies?.length === 0) throw new RangeError('supportedStrategies must name at least one strategy');
  const complexity = analyzeComplexity({
    type: input.type,
    description: input.description,
    dataVolume: input.dataVolume,
    parameters: input.parameters,
    catalogueComplexity: input.catalogue?.complexity,
  });
  const requiresAi = (input.requiresAi ?? false) || (input.catalogue?.requiresAi ?? false);
  const category = classifyCategory({
    type: input.type,
    description: input.description,
    requiresAi,
    catalogueStrategy: input.catalogue?.strategy,
  });
  const facts: Facts = {
    type: input.type,
    complexity: complexity.complexity,
    category: category.category,
    requiresAi,
    multiDomain: input.multiDomain ?? false,
    dataVolume: input.dataVolume ?? 0,
    transferWords: matchWords(tokenize(`${input.type} ${input.description}`), TRANSFER_WORDS),
    catalogue: input.catalogue,
  };
  const supports = (strategy: Strategy): boolean => input.supportedStrategies?.includes(strategy) ?? true;
  const supported = (): string => (input.supportedStrategies ?? STRATEGIES).join(', ');

  const matrix = matrixRule(facts);
  const override = findOverride(input.overrides ?? [], input.type, matrix.strategy);
  const notes: string[] = [];

  let chosen = callerChoice(input, supports, supported, notes);
  if (chosen) {
    if (override) notes.push(`The routing override ${describeOverride(override)} was not applied: an explicit caller choice wins.`);
    if (chosen.strategy !== matrix.strategy) notes.push(`The matrix alone would choose ${matrix.strategy} (rule ${matrix.rule}).`);
  } else {
    let proposal = matrix;
    if (override) {
      if (supports(override.toStrategy)) {
        proposal = {
          strategy: override.toStrategy,
          rule: 'routing_override',
          sentence: `the applied routing override ${describeOverride(override)} replaces the matrix's choice (rule ${matrix.rule})`,
        };
      } else {
        notes.push(
          `The routing override ${describeOverride(override)} was not applied: ${input.type} cannot run as ${override.toStrategy} (it supports ${supported()}).`,
        );
      }
    }
    chosen = supports(proposal.strategy) ? proposal : adjustToSupported(proposal, input, supports);
  }

  const confidence = confidenceOf(chosen.rule, complexity, category, input.catalogue !== undefined);
  // A routing override lowers a strategy on measured evidence, so it does not count as under-provisioning.
  const underProvisioned =
    requiresAi && chosen.rule !== 'routing_override' && STRATEGY_RANK[chosen.strategy] < STRATEGY_RANK[matrix.strategy];
  const reasoning = [
    `Rule ${chosen.rule}: ${chosen.sentence}.`,
    ...notes,
    `Complexity ${complexity.complexity} (score ${complexity.score}): ${complexity.signals.map((signal) => signal.detail).join('; ')}.`,
    `${capitalize(category.detail)}.`,
  ].join(' ');

  return {
    complexity: complexity.complexity,
    category: category.category,
    strategy: chosen.strategy,
    confidence,
    reasoning,
    risk: riskOf(chosen.strategy, confidence, facts.dataVolume, underProvisioned),
    rule: chosen.rule,
    complexityScore: complexity.score,
    signals: complexity.signals,
  };
}

/**
 * The matrix of DESIGN.md §1/§7, in its precedence. Two readings of ours:
 * - "AI at complex or ≥ 10K rows → multi_agent" is tried before "AI at moderate → single_agent", so a
 *   moderate AI task over 10K rows gets the supervisor and its specialists.
 * - Without AI and outside the CRUD and transfer rules (e.g. a complex analysis the caller did not flag as
 *   AI): the catalogue default when the type is known; else deterministic code for simple work and one
 *   agent — the cheapest strategy that can plan — for moderate/complex work. Expert work without AI still
 *   goes to a crew, as §7 puts expert first.
 */
function matrixRule(facts: Facts): Proposal {
  const { complexity, category, requiresAi } = facts;
  if (facts.multiDomain) {
    return {
      strategy: 'crew_workflow',
      rule: 'multi_domain_crew',
      sentence: 'multi_domain is set, so the master supervisor coordinates the domains in a crew_workflow',
    };
  }
  if (complexity === 'expert') {
    return {
      strategy: 'crew_workflow',
      rule: 'expert_crew',
      sentence: 'expert complexity runs as a crew_workflow under the master supervisor',
    };
  }
  if (!requiresAi && category === 'crud_operation' && (complexity === 'simple' || complexity === 'moderate')) {
    return {
      strategy: 'direct_db',
      rule: 'crud_direct_db',
      sentence: `a crud_operation of ${complexity} complexity without AI runs as a direct database query`,
    };
  }
  if (!requiresAi && category === 'integration_task' && facts.transferWords.length > 0) {
    return {
      strategy: 'direct_api',
      rule: 'integration_direct_api',
      sentence: `an integration task (${facts.transferWords.join(', ')}) without AI runs as a direct API call`,
    };
  }
  if (requiresAi && complexity === 'complex') {
    return {
      strategy: 'multi_agent',
      rule: 'ai_complex_multi_agent',
      sentence: 'an AI task of complex complexity runs on the domain supervisor with its specialists (multi_agent)',
    };
  }
  if (requiresAi && facts.dataVolume >= MULTI_AGENT_VOLUME) {
    return {
      strategy: 'multi_agent',
      rule: 'ai_volume_multi_agent',
      sentence: `an AI task over ${facts.dataVolume.toLocaleString('en-US')} rows (≥ 10K) runs on the domain supervisor with its specialists (multi_agent)`,
    };
  }
  if (requiresAi && complexity === 'moderate') {
    return {
      strategy: 'single_agent',
      rule: 'ai_moderate_single_agent',
      sentence: 'an AI task of moderate complexity under 10K rows runs on one specialist agent',
    };
  }
  if (requiresAi) {
    return {
      strategy: 'single_agent',
      rule: 'ai_simple_single_agent',
      sentence: 'an AI task of simple complexity runs on one specialist agent, the cheapest strategy with an LLM',
    };
  }
  if (facts.catalogue) {
    return {
      strategy: facts.catalogue.strategy,
      rule: 'catalogue_default',
      sentence: `no matrix rule fits a ${complexity} ${category} without AI, so the catalogue default ${facts.catalogue.strategy} of ${facts.type} applies`,
    };
  }
  if (complexity === 'simple') {
    const strategy: Strategy = category === 'integration_task' ? 'direct_api' : 'direct_db';
    return { strategy, rule: 'no_ai_simple_direct', sentence: `a simple ${category} without AI runs as deterministic code (${strategy})` };
  }
  return {
    strategy: 'single_agent',
    rule: 'no_ai_single_agent',
    sentence: `AI was not requested, but a ${complexity} ${category} needs more than deterministic code; one agent is the cheapest strategy that can plan it`,
  };
}

/** force_crew, then a valid preferred_strategy the type can run; why one was not applied goes to `notes`. */
function callerChoice(
  input: DecisionInput,
  supports: (strategy: Strategy) => boolean,
  supported: () => string,
  notes: string[],
): Proposal | undefined {
  let chosen: Proposal | undefined;
  if (input.forceCrew) {
    if (supports('crew_workflow')) {
      chosen = { strategy: 'crew_workflow', rule: 'force_crew', sentence: 'force_crew is set, so the task runs as a crew_workflow' };
    } else {
      notes.push(`force_crew was not applied: ${input.type} cannot run as crew_workflow (it supports ${supported()}).`);
    }
  }
  if (input.preferredStrategy !== undefined) {
    const preferred = input.preferredStrategy;
    if (!isStrategy(preferred)) {
      notes.push(`preferred_strategy ${preferred} was not applied: it is not a strategy (one of ${STRATEGIES.join(', ')}).`);
    } else if (chosen) {
      if (preferred !== chosen.strategy) notes.push(`preferred_strategy ${preferred} was not applied: force_crew takes precedence.`);
    } else if (!supports(preferred)) {
      notes.push(`preferred_strategy ${preferred} was not applied: ${input.type} cannot run as ${preferred} (it supports ${supported()}).`);
    } else {
      chosen = { strategy: preferred, rule: 'preferred_strategy', sentence: `the caller's preferred_strategy ${preferred} is applied` };
    }
  }

  return chosen;
}

function adjustToSupported(proposal: Proposal, input: DecisionInput, supports: (strategy: Strategy) => boolean): Proposal {
  const cannot = `${proposal.rule} chose ${proposal.strategy}, but ${input.type} cannot run as ${proposal.strategy}`;
  const catalogue = input.catalogue?.strategy;
  if (catalogue && supports(catalogue)) {
    return { strategy: catalogue, rule: 'catalogue_default', sentence: `${cannot}, so its catalogue default ${catalogue} applies` };
  }
  const strategy = nearestSupported(proposal.strategy, input.supportedStrategies ?? STRATEGIES);
  return { strategy, rule: 'nearest_supported', sentence: `${cannot}, so the nearest strategy it supports, ${strategy}, applies` };
}

/** The most capable supported strategy not above the target; else the cheapest one above it. */
function nearestSupported(target: Strategy, supported: readonly Strategy[]): Strategy {
  const ordered = STRATEGIES.filter((strategy) => supported.includes(strategy));
  const below = ordered.filter((strategy) => STRATEGY_RANK[strategy] <= STRATEGY_RANK[target]);
  return below.length > 0 ? below[below.length - 1] : ordered[0];
}

function findOverride(overrides: readonly RoutingOverride[], type: string, strategy: Strategy): RoutingOverride | undefined {
  const matching = overrides.filter((override) => override.fromStrategy === strategy);
  return matching.find((override) => override.taskType === type) ?? matching.find((override) => override.taskType === undefined);
}

function describeOverride(override: RoutingOverride): string {
  return `${override.fromStrategy} → ${override.toStrategy} (${override.taskType ?? 'all task types'})`;
}

/**
 * The rule's base confidence; an analysis-based rule loses 0.1 when the data volume moved the complexity
 * away from what the keywords or catalogue said, and 0.1 when no catalogue entry, complexity keyword or
 * category keyword backs the analysis at all.
 */
function confidenceOf(rule: DecisionRule, complexity: ComplexityAnalysis, category: CategoryAnalysis, inCatalogue: boolean): number {
  let confidence = RULE_CONFIDENCE[rule];
  if (!CHOSEN_RULES.has(rule)) {
    if (complexity.signals.some((signal) => signal.source === 'data_volume' && signal.points !== 0)) confidence -= 0.1;
    if (!inCatalogue && complexity.signals[0].source === 'default' && category.words.length === 0) confidence -= 0.1;
  }
  return Math.round(Math.min(1, Math.max(0, confidence)) * 100) / 100;
}

/**
 * high: a crew (most calls, most cost), a shaky decision (< 0.6) or an AI task given less than the matrix
 * would give it (by the caller or because the type cannot run that way); medium: multi_agent, confidence < 0.8 or ≥ 100K rows; else low.
 */
function riskOf(strategy: Strategy, confidence: number, dataVolume: number, underProvisioned: boolean): Risk {
  if (strategy === 'crew_workflow' || confidence < 0.6 || underProvisioned) return 'high';
  if (strategy === 'multi_agent' || confidence < 0.8 || dataVolume >= 100_000) return 'medium';
  return 'low';
}

function isStrategy(value: string): value is Strategy {
  return (STRATEGIES as readonly string[]).includes(value);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
