import { createHash } from 'node:crypto';
import { SetMetadata } from '@nestjs/common';
import { API_PREFIX } from '../tasks/task-response.mapper.js';

/** The Brain's mirror of `/api/crew/<rest>` is `/api/brain/crew/<rest>` (DESIGN §11). */
export const BRAIN_CREW_PREFIX = '/api/brain/crew';
export const CREW_PREFIX = API_PREFIX;

/** Metadata key of `@ListedForBrain()`. */
export const LISTED_FOR_BRAIN = 'crew:listedForBrain';

/**
 * Announces a controller's routes to the Brain although they are left out of the OpenAPI document (the MCP
 * endpoint: JSON-RPC, not REST). Without it, a route hidden from the document is hidden from the Brain too.
 */
export const ListedForBrain = (): ClassDecorator => SetMetadata(LISTED_FOR_BRAIN, true);

/** One entry of the registration body, as the Brain API reads it (snake_case). */
export interface ManifestRoute {
  path: string;
  method: string;
  description: string;
  crew_system_endpoint: string;
  domain: string;
}

/** Joins path segments the way Nest does: one leading slash, no doubled or trailing slashes. */
export function joinRoutePath(...parts: string[]): string {
  const segments = parts.flatMap((part) => part.split('/')).filter((segment) => segment !== '');
  return `/${segments.join('/')}`;
}

/** `/task/:id` → `/task/{id}`, the template form OpenAPI and the Brain use. */
export function toTemplatePath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\*([A-Za-z0-9_]+)/g, '{$1}');
}

/** `/api/crew/<rest>` → `/api/brain/crew/<rest>`. */
export function toBrainPath(crewPath: string): string {
  if (crewPath !== CREW_PREFIX && !crewPath.startsWith(`${CREW_PREFIX}/`)) {
    throw new Error(`${crewPath} is not under ${CREW_PREFIX}`);
  }
  return `${BRAIN_CREW_PREFIX}${crewPath.slice(CREW_PREFIX.length)}`;
}

/** Identifies a route set independent of order and descriptions (a changed hash means: register again). */
export function manifestHash(routes: readonly Pick<ManifestRoute, 'method' | 'crew_system_endpoint'>[]): string {
  const keys = routes.map((route) => `${route.method} ${route.crew_system_endpoint}`).sort();
  return createHash('sha256').update(keys.join('\n')).digest('hex');
}
