import { IsObject } from 'class-validator';
import type { ToolDefinition } from '../agent.types.js';

export class ProfileDatasetParams {
  @IsObject()
  data: Record<string, unknown>;
}

export interface FieldProfile {
  count: number;
  missing: number;
  min: number | null;
  max: number | null;
  mean: number | null;
}

export interface DatasetProfile {
  arrays: Record<string, { rows: number; fields: Record<string, FieldProfile> }>;
  scalars: number;
  total_rows: number;
}

function profileRows(rows: unknown[]): { rows: number; fields: Record<string, FieldProfile> } {
  const fields: Record<string, FieldProfile & { sum: number }> = {};
  const keys = new Set<string>();
  for (const row of rows) if (row && typeof row === 'object' && !Array.isArray(row)) for (const key of Object.keys(row)) keys.add(key);
  for (const key of keys) fields[key] = { count: 0, missing: 0, min: null, max: null, mean: null, sum: 0 };
  for (const row of rows) {
    const record = row && typeof row === 'object' && !Array.isArray(row) ? (row as Record<string, unknown>) : {};
    for (const key of keys) {
      const field = fields[key];
      const value = record[key];
      if (value === undefined || value === null || value === '') {
        field.missing += 1;
        continue;
      }
      field.count += 1;
      if (typeof value === 'number' && Number.isFinite(value)) {
        field.sum += value;
        field.min = field.min === null ? value : Math.min(field.min, value);
        field.max = field.max === null ? value : Math.max(field.max, value);
      }
    }
  }
  const result: Record<string, FieldProfile> = {};
  for (const [key, { sum, ...field }] of Object.entries(fields)) {
    const numeric = field.min !== null;
    result[key] = { ...field, mean: numeric && field.count > 0 ? Math.round((sum / field.count) * 1e6) / 1e6 : null };
  }
  return { rows: rows.length, fields: result };
}

/** Profiles the arrays in a task's input: row counts, missing values and numeric ranges per field. */
export function profileDataset(data: Record<string, unknown>): DatasetProfile {
  const arrays: DatasetProfile['arrays'] = {};
  let scalars = 0;
  for (const [key, value] of Object.entries(data)) {
    if (Array.isArray(value)) arrays[key] = profileRows(value);
    else scalars += 1;
  }
  return { arrays, scalars, total_rows: Object.values(arrays).reduce((sum, a) => sum + a.rows, 0) };
}

export const PROFILE_DATASET_TOOL: ToolDefinition<ProfileDatasetParams, DatasetProfile> = {
  name: 'profile_dataset',
  description: 'Profiles input data: rows per array, missing values and numeric min/max/mean per field. Use before analysing data.',
  parameters: ProfileDatasetParams,
  execute: (_context, parameters) => Promise.resolve(profileDataset(parameters.data)),
};
