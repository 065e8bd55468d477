/**
 * Reads and checks a pipeline-optimization request. One parser serves both the validator (its errors) and
 * the computation (its parsed funnel), so the two can never disagree.
 */
import { FieldErrorCollector, isMissing, isRecord, type FieldError } from './field-errors.js';

export interface PipelineStageInput {
  name: string;
  count: number;
  /** Average days the stage's open deals have spent in it. */
  days_in_stage?: number;
}

export interface PipelineData {
  /** Ordered array, or an object whose key order is the stage order. */
  stages: PipelineStageInput[] | Record<string, number | { count: number; days_in_stage?: number }>;
  /** Keys naming adjacent stages ("lead_to_qualified") or a stage (its rate to the next), or an array in stage order. */
  conversion_rates?: Record<string, number> | number[];
  average_deal_size: number;
  sales_cycle_length: number;
}

export interface PipelineOptimizationRequest {
  pipeline_data: PipelineData;
}

export interface ParsedStage {
  name: string;
  count: number;
  daysInStage: number | null;
  /** Rate to the next open stage (or to won, for the last one). */
  rate: number;
  rateSource: 'given' | 'implied';
  nextStage: string;
}

export interface ParsedPipeline {
  stages: ParsedStage[];
  dealSize: number;
  cycleDays: number;
  warnings: string[];
}

interface RawStage {
  name: string;
  key: string;
  count: number;
  daysInStage: number | null;
  path: string;
}

const WON = new Set(['closed_won', 'won']);
const LOST = new Set(['closed_lost', 'lost']);

export function normaliseStageName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/\s*(->|→|=>)\s*/g, '_to_')
    .replace(/[\s-]+/g, '_');
}

export function validatePipelineOptimizationRequest(body: unknown): FieldError[] {
  return parsePipelineRequest(body).errors;
}

export function parsePipelineRequest(body: unknown): { errors: FieldError[]; pipeline?: ParsedPipeline } {
  const errors = new FieldErrorCollector();
  const warnings: string[] = [];
  if (!isRecord(body)) {
    errors.add('body', 'must be an object');
    return { errors: errors.errors };
  }
  const data = errors.record('pipeline_data', body.pipeline_data, true);
  if (!data) return { errors: errors.errors };
  const dealSize = errors.number('pipeline_data.average_deal_size', data.average_deal_size, { required: true, above: 0 });
  const cycleDays = errors.number('pipeline_data.sales_cycle_length', data.sales_cycle_length, { required: true, above: 0 });
  const raw = readStages(errors, data.stages, warnings);
  if (!raw) return { errors: errors.errors };
  const open = raw.filter((stage) => !WON.has(stage.key) && !LOST.has(stage.key));
  const won = raw.find((stage) => WON.has(stage.key));
  if (raw.some((stage) => LOST.has(stage.key))) warnings.push('closed_lost is not part of the open pipeline and was left out');
  if (open.length === 0) {
    errors.add('pipeline_data.stages', 'must contain at least one open stage besides closed_won/closed_lost');
    return { errors: errors.errors };
  }
  const given = readRates(errors, data.conversion_rates, open, won, warnings);
  if (!given || errors.hasErrors || dealSize === undefined || cycleDays === undefined) return { errors: errors.errors };
  const stages = open.map((stage, index): ParsedStage => {
    const nextStage = index + 1 < open.length ? open[index + 1].name : (won?.name ?? 'won');
    const rate = given.get(index);
    if (rate !== undefined)
      return { name: stage.name, count: stage.count, daysInStage: stage.daysInStage, rate, rateSource: 'given', nextStage };
    const nextCount = index + 1 < open.length ? open[index + 1].count : won?.count;
    const ratePath = `pipeline_data.conversion_rates.${stage.name}`;
    if (nextCount === undefined) {
      errors.add(
        ratePath,
        `is required: the rate from the last open stage "${stage.name}" to won cannot be implied without a closed_won count`,
      );
    } else if (stage.count === 0) {
      errors.add(ratePath, `is required: stage "${stage.name}" has no deals to imply a rate from`);
    }
    let implied = nextCount !== undefined && stage.count > 0 ? nextCount / stage.count : 0;
    if (implied > 1) {
      warnings.push(`implied rate for ${stage.name} is ${round(implied)} (the next stage holds more deals); capped at 1`);
      implied = 1;
    }
    return { name: stage.name, count: stage.count, daysInStage: stage.daysInStage, rate: implied, rateSource: 'implied', nextStage };
  });
  if (errors.hasErrors) return { errors: errors.errors };
  return { errors: [], pipeline: { stages, dealSize, cycleDays, warnings } };
}

function readStages(errors: FieldErrorCollector, value: unknown, warnings: string[]): RawStage[] | undefined {
  if (isMissing(value)) return void errors.add('pipeline_data.stages', 'is required');
  const entries: { path: string; name: unknown; count: unknown; days: unknown; namePath: string; countPath: string }[] = [];
  if (Array.isArray(value)) {
    value.forEach((item: unknown, index) => {
      const path = `pipeline_data.stages[${index}]`;
      if (!isRecord(item)) return errors.add(path, 'must be an object with name and count');
      entries.push({
        path,
        name: item.name,
        count: item.count,
        days: item.days_in_stage,
        namePath: `${path}.name`,
        countPath: `${path}.count`,
      });
    });
  } else if (isRecord(value)) {
    warnings.push('stages given as an object: its key order is taken as the stage order');
    for (const [key, item] of Object.entries(value)) {
      const path = `pipeline_data.stages.${key}`;
      if (isRecord(item))
        entries.push({ path, name: key, count: item.count, days: item.days_in_stage, namePath: path, countPath: `${path}.count` });
      else entries.push({ path, name: key, count: item, days: undefined, namePath: path, countPath: path });
    }
  } else {
    return void errors.add('pipeline_data.stages', 'must be an array of {name, count} or an object of stage → count');
  }
  if (entries.length === 0 && !errors.hasErrors) return void errors.add('pipeline_data.stages', 'must not be empty');
  const stages: RawStage[] = [];
  const seen = new Map<string, string>();
  for (const entry of entries) {
    const name = errors.string(entry.namePath, entry.name, { required: true, nonEmpty: true });
    const count = errors.number(entry.countPath, entry.count, { required: true, min: 0 });
    const days = errors.number(`${entry.path}.days_in_stage`, entry.days, { min: 0 });
    if (name === undefined || count === undefined) continue;
    const key = normaliseStageName(name);
    const first = seen.get(key);
    if (first !== undefined) {
      errors.add(entry.namePath, `duplicates stage "${first}"`);
      continue;
    }
    seen.set(key, name);
    stages.push({ name: name.trim(), key, count, daysInStage: days ?? null, path: entry.path });
  }
  return errors.hasErrors ? undefined : stages;
}

/** Given rates by open-stage index, as fractions. */
function readRates(
  errors: FieldErrorCollector,
  value: unknown,
  open: RawStage[],
  won: RawStage | undefined,
  warnings: string[],
): Map<number, number> | undefined {
  const given = new Map<number, number>();
  if (isMissing(value)) return given;
  const entries: { path: string; index: number; value: number }[] = [];
  if (Array.isArray(value)) {
    if (value.length > open.length)
      errors.add('pipeline_data.conversion_rates', `must have at most ${open.length} rates (one per open stage)`);
    value.forEach((rate: unknown, index) => {
      const path = `pipeline_data.conversion_rates[${index}]`;
      const number = errors.number(path, rate, { min: 0 });
      if (number !== undefined && index < open.length) entries.push({ path, index, value: number });
    });
  } else if (isRecord(value)) {
    for (const [key, rate] of Object.entries(value)) {
      const path = `pipeline_data.conversion_rates.${key}`;
      const number = errors.number(path, rate, { min: 0 });
      const index = stageIndexOfRateKey(key, open, won);
      if (index === undefined) {
        errors.add(path, 'does not name an open stage or a pair of adjacent stages (such as "lead_to_qualified")');
        continue;
      }
      if (entries.some((entry) => entry.index === index)) {
        errors.add(path, `gives the rate of stage "${open[index].name}" a second time`);
        continue;
      }
      if (number !== undefined) entries.push({ path, index, value: number });
    }
  } else {
    errors.add('pipeline_data.conversion_rates', 'must be an object of rates or an array in stage order');
    return undefined;
  }
  const percentages = entries.length > 0 && entries.every((entry) => entry.value > 1 && entry.value <= 100);
  if (percentages) warnings.push('conversion rates are all between 1 and 100; read as percentages');
  for (const entry of entries) {
    if (!percentages && entry.value > 1) {
      errors.add(entry.path, 'must be between 0 and 1 (or give every rate as a percentage above 1 and at most 100)');
      continue;
    }
    given.set(entry.index, percentages ? entry.value / 100 : entry.value);
  }
  return given;
}

/** The open stage a rate key belongs to: its own name, or "<stage>_to_<next>" for adjacent stages. */
function stageIndexOfRateKey(key: string, open: RawStage[], won: RawStage | undefined): number | undefined {
  const normalised = normaliseStageName(key);
  const direct = open.findIndex((stage) => stage.key === normalised);
  if (direct >= 0) return direct;
  for (let index = 0; index < open.length; index++) {
    const targets = index + 1 < open.length ? [open[index + 1].key] : [won?.key ?? 'closed_won', 'closed_won', 'won', 'close', 'closed'];
    if (targets.some((target) => normalised === `${open[index].key}_to_${target}`)) return index;
  }
  return undefined;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
