import { type Figure, meetsTarget, ratioOf, type Target } from './benchmark.js';

export interface Row {
  benchmark: string;
  figure?: Figure;
  /** A row for a benchmark that crashed: the message goes in the figure column. */
  error?: string;
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 100 || Number.isInteger(value)) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(abs >= 10 ? 1 : 2);
}

function withUnit(value: number | undefined, unit: string): string {
  return value === undefined ? '' : `${formatNumber(value)}${unit ? ` ${unit}` : ''}`;
}

function describeTarget(target: Target | undefined, unit: string): string {
  if (!target) return '';
  const subject = target.on === 'ratio' ? 'ratio ' : '';
  const suffix = target.on === 'value' && unit ? ` ${unit}` : '';
  const parts = [
    target.atLeast === undefined ? undefined : `${subject}≥ ${target.atLeast}${suffix}`,
    target.atMost === undefined ? undefined : `${subject}≤ ${target.atMost}${suffix}`,
  ];
  return parts.filter((part) => part !== undefined).join(', ');
}

function cells(row: Row): string[] {
  if (row.error !== undefined) return [row.benchmark, `error: ${row.error}`, '', '', '', '', 'ERROR'];
  const figure = row.figure as Figure;
  const ratio = ratioOf(figure);
  const met = meetsTarget(figure);
  return [
    row.benchmark,
    figure.figure,
    withUnit(figure.value, figure.unit),
    withUnit(figure.baseline, figure.unit),
    ratio === undefined ? '' : ratio.toFixed(2),
    describeTarget(figure.target, figure.unit),
    met === undefined ? '' : met ? 'pass' : 'FAIL',
  ];
}

const HEADER = ['benchmark', 'figure', 'value', 'baseline', 'ratio', 'target', 'result'];
// Numbers are right-aligned so magnitudes line up.
const RIGHT_ALIGNED = new Set([2, 3, 4]);

export function formatTable(rows: readonly Row[]): string {
  const body = rows.map(cells);
  const widths = HEADER.map((title, column) => Math.max(title.length, ...body.map((line) => (line[column] ?? '').length)));
  const render = (line: readonly string[]): string =>
    line
      .map((cell, column) => (RIGHT_ALIGNED.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join(' | ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('-|-');
  return [render(HEADER), rule, ...body.map(render)].join('\n');
}
