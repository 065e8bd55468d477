import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_TYPES } from '../src/monitoring/dto/monitoring-query.dto.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const ROOT = join(import.meta.dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** The `code` names in a piece of README text, in order. */
const codeNames = (text: string): string[] => [...text.matchAll(/`([^`]+)`/g)].map((match) => match[1]);

/** The one README passage a pattern finds (failing with the pattern when the wording moved). */
function passage(pattern: RegExp): RegExpMatchArray {
  const match = README.match(pattern);
  if (!match) throw new Error(`README.md no longer has ${pattern}: update the sentence and this test together`);
  return match;
}

/**
 * Package → version of a README dependency table, expanding its shorthands: `@nestjs/common`, `core` (same scope),
 * `@stoplight/spectral-core`, `-rulesets` (same stem), versions either one for the row or one per package.
 */
function dependencyTable(heading: string): Record<string, string> {
  const start = README.indexOf(`| ${heading}`);
  if (start === -1) throw new Error(`README.md has no "${heading}" table`);
  const rows = README.slice(start).split('\n\n')[0].split('\n').slice(2);
  const table: Record<string, string> = {};
  for (const row of rows) {
    const [names, versions] = row
      .split('|')
      .slice(1, 3)
      .map((cell) => cell.trim());
    const listed = codeNames(names);
    const first = listed[0];
    const expanded = listed.map((name, index) => {
      if (index === 0) return name;
      if (name.startsWith('-')) return `${first.slice(0, first.lastIndexOf('-'))}${name}`;
      if (!name.includes('/') && !name.startsWith('@') && first.startsWith('@')) return `${first.slice(0, first.indexOf('/') + 1)}${name}`;
      return name;
    });
    const numbers = versions.split(',').map((version) => version.trim());
    expanded.forEach((name, index) => {
      const version = numbers.length === expanded.length ? numbers[index] : numbers[0];
      if (name in table) throw new Error(`README's ${heading} table lists ${name} twice`);
      table[name] = version;
    });
  }
  return table;
}

describe('README facts that drift, checked against the code', () => {
  let testApp: TestApp;
  const http = () => request(testApp.app.getHttpServer());

  beforeAll(async () => {
    testApp = await createTestApp();
  });
  afterAll(async () => {
    await testApp?.dispose();
  });

  it('counts the catalogue and names every built-in task type', async () => {
    const catalogue = (await http().get('/api/crew/catalogue').expect(200)).body as {
      total: number;
      domains: Record<string, { type: string }[]>;
    };
    const [, total, business, builtIn] = passage(/lists every task type \((\d+): (\d+) in the six business domains, (\d+) built in\)/);
    const system = catalogue.domains.system.map((entry) => entry.type);
    expect({ total: Number(total), business: Number(business), builtIn: Number(builtIn) }).toEqual({
      total: catalogue.total,
      business: catalogue.total - system.length,
      builtIn: system.length,
    });
    const businessDomains = Object.keys(catalogue.domains).filter((domain) => domain !== 'system');
    expect(businessDomains).toHaveLength(6);
    const [builtInSentence, howMany] = passage(/there are (\w+) built-in types:[^]*?\n\n/);
    expect(['one', 'two', 'three', 'four', 'five'].indexOf(howMany) + 1).toBe(system.length);
    for (const type of system) expect(codeNames(builtInSentence)).toContain(type);
  });

  it('counts the agents', async () => {
    const agents = (await http().get('/api/crew/agents').expect(200)).body as { total: number };
    expect(Number(passage(/six domain supervisors → specialists and workers, (\d+) agents\)/)[1])).toBe(agents.total);
    expect(Number(passage(/the (\d+)-agent tree/)[1])).toBe(agents.total);
  });

  it('lists the metric types of /performance/metrics', async () => {
    expect(codeNames(passage(/A time series \(([^)]*)\)/)[1])).toEqual([...METRIC_TYPES]);
    const refused = await http().get('/api/crew/performance/metrics?metric_type=latency').expect(422);
    for (const type of METRIC_TYPES) expect(JSON.stringify(refused.body)).toContain(type);
  });

  it('lists the Prometheus alert rules of monitoring/alerts.yml', () => {
    const document = load(read('monitoring/alerts.yml')) as { groups: { rules: { alert: string }[] }[] };
    const alerts = [...new Set(document.groups.flatMap((group) => group.rules.map((rule) => rule.alert)))];
    expect(codeNames(passage(/the alert rules\s*\(([^)]*)\)/)[1])).toEqual(alerts);
  });

  it('lists the Grafana dashboard panels', () => {
    const [file] = readdirSync(join(ROOT, 'monitoring/grafana/dashboards')).filter((name) => name.endsWith('.json'));
    const dashboard = JSON.parse(read(`monitoring/grafana/dashboards/${file}`)) as { panels: { title: string }[] };
    const section = passage(/Its panels:\n\n((?:- \*\*[^\n]+\n(?: {2}[^\n]+\n)*)+)/)[1];
    expect([...section.matchAll(/^- \*\*(.+?)\*\*/gm)].map((match) => match[1])).toEqual(dashboard.panels.map((panel) => panel.title));
  });

  it('lists every dependency once, with its exact version', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(dependencyTable('Runtime dependency')).toEqual(pkg.dependencies);
    expect(dependencyTable('Dev dependency')).toEqual(pkg.devDependencies);
  });
});
