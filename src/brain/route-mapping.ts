import { CREW_PREFIX, BRAIN_CREW_PREFIX } from './route-manifest.js';

/** Routes whose task type is not `<domain>_<snake_case rest>`. */
export const ROUTE_TASK_TYPE_EXCEPTIONS: Readonly<Record<string, string>> = {
  'analytics/generate-report': 'analytics_report_generation',
};

const ROUTE_PATH = /^[a-z0-9]+(?:[-_][a-z0-9]+)*(?:\/[a-z0-9]+(?:[-_][a-z0-9]+)*)*$/;

/**
 * A Brain route path in its canonical form: `crm/lead-scoring` for `/api/brain/crew/crm/lead-scoring`,
 * `/api/crew/crm/lead-scoring/` or `crm/lead-scoring?x=1`. Undefined when it is not a route path.
 */
export function normaliseRoutePath(routePath: string): string | undefined {
  let path = routePath.trim().split(/[?#]/)[0].toLowerCase();
  for (const prefix of [BRAIN_CREW_PREFIX, CREW_PREFIX]) {
    if (path === prefix || path.startsWith(`${prefix}/`)) path = path.slice(prefix.length);
  }
  path = path.replace(/^\/+|\/+$/g, '');
  return ROUTE_PATH.test(path) ? path : undefined;
}

/**
 * The task types a route path may stand for, most specific first: the exception table, then
 * `<domain>/<kebab-rest>` → `<domain>_<snake_rest>`, then the rest alone (for types whose name does not
 * repeat their domain, e.g. `system/get-task-list` → `get_task_list`).
 */
export function taskTypeCandidates(routePath: string): string[] {
  const path = normaliseRoutePath(routePath);
  if (path === undefined) return [];
  const candidates: string[] = [];
  const exception = ROUTE_TASK_TYPE_EXCEPTIONS[path];
  if (exception) candidates.push(exception);
  const snake = (value: string) => value.replace(/[-/]/g, '_');
  candidates.push(snake(path));
  const slash = path.indexOf('/');
  if (slash > 0) candidates.push(snake(path.slice(slash + 1)));
  return [...new Set(candidates)];
}

/** The first candidate the catalogue knows, or undefined. */
export function routeToTaskType(routePath: string, known: (type: string) => boolean): string | undefined {
  return taskTypeCandidates(routePath).find(known);
}
