import type { INestApplication, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { ModulesContainer } from '@nestjs/core';
import { IS_PUBLIC, SERVICE_KEY_ONLY } from '../auth/public.decorator.js';
import { tenantOfRequest } from '../common/tenant.js';
import { BODY_RULES } from './body-rules.decorator.js';

/** What the code of one route says about it, for the document: who may call it, what it reads. */
export interface RouteFacts {
  /** `@Public()`: no API key. */
  isPublic: boolean;
  /** `@ServiceKeyOnly()`: only a `key:*` service key. */
  serviceKeyOnly: boolean;
  /** The handler resolves a tenant (X-Tenant-ID, or tenant_id in the body or query). */
  tenantScoped: boolean;
  /** The `@Body()` DTO class, when the body is one. */
  body?: Type;
  /** The class whose rules the body's fields are checked against later (`@ApiBodyRules`). */
  bodyRules?: Type;
  /** The `@Query()` DTO class, when the query is one. */
  query?: Type;
}

interface RouteArgument {
  index: number;
  data?: unknown;
  factory?: unknown;
}

/**
 * The facts of every route, by the operation id the Swagger explorer gives it (`Controller_method`): read from
 * the same metadata the guards and pipes act on, so the document cannot drift from them.
 */
export function routeFacts(app: INestApplication): Map<string, RouteFacts> {
  const facts = new Map<string, RouteFacts>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller || typeof controller !== 'function') continue;
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        const handler: unknown = (controller.prototype as Record<string, unknown>)[method];
        if (method === 'constructor' || typeof handler !== 'function') continue;
        if (Reflect.getMetadata(METHOD_METADATA, handler) === undefined || Reflect.getMetadata(PATH_METADATA, handler) === undefined)
          continue;
        facts.set(`${controller.name}_${method}`, describe(controller, method, handler));
      }
    }
  }
  return facts;
}

function describe(controller: Type, method: string, handler: object): RouteFacts {
  const flag = (key: string) => (Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller)) === true;
  const args = Object.entries((Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, RouteArgument>).map(
    ([key, argument]) => ({ kind: key.split(':')[0], ...argument }),
  );
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype as object, method) ?? []) as unknown[];
  const dtoAt = (kind: RouteParamtypes): Type | undefined => {
    const argument = args.find((entry) => entry.kind === String(kind) && entry.data === undefined);
    const type = argument ? types[argument.index] : undefined;
    return typeof type === 'function' && type !== Object ? (type as Type) : undefined;
  };
  const readsTenantHeader = args.some(
    (entry) =>
      entry.kind === String(RouteParamtypes.HEADERS) && typeof entry.data === 'string' && entry.data.toLowerCase() === 'x-tenant-id',
  );
  return {
    isPublic: flag(IS_PUBLIC),
    serviceKeyOnly: flag(SERVICE_KEY_ONLY),
    tenantScoped: readsTenantHeader || args.some((entry) => entry.factory === tenantOfRequest),
    body: dtoAt(RouteParamtypes.BODY),
    bodyRules: Reflect.getMetadata(BODY_RULES, handler) as Type | undefined,
    query: dtoAt(RouteParamtypes.QUERY),
  };
}
