import { Injectable, RequestMethod } from '@nestjs/common';
import { DiscoveryService, HttpAdapterHost, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { DOMAINS } from '../tasks/task.types.js';
import { CREW_PREFIX, joinRoutePath, LISTED_FOR_BRAIN, type ManifestRoute, toBrainPath, toTemplatePath } from './route-manifest.js';

// Nest's and @nestjs/swagger's metadata keys (their constants are internal exports).
const PATH_METADATA = 'path';
const METHOD_METADATA = 'method';
const MODULE_PATH = '__module_path__';
const API_OPERATION = 'swagger/apiOperation';
const API_TAGS = 'swagger/apiUseTags';
const API_EXCLUDE_ENDPOINT = 'swagger/apiExcludeEndpoint';
const API_EXCLUDE_CONTROLLER = 'swagger/apiExcludeController';

const BRAIN_ROUTES = `${CREW_PREFIX}/brain`;
const DOMAIN_NAMES: ReadonlySet<string> = new Set(DOMAINS);

interface ExpressLayer {
  route?: { path?: unknown; methods?: Record<string, boolean> };
}

type Constructor = abstract new (...args: never[]) => unknown;

/**
 * The route manifest for the Brain, generated from the application's real routes: every controller
 * method Nest mapped under /api/crew (minus the Brain integration routes themselves and routes hidden
 * from the OpenAPI document unless their controller is `@ListedForBrain()`, as the MCP endpoint is), checked
 * against the HTTP router so only routes that are actually served are announced.
 */
@Injectable()
export class RouteManifestService {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly modules: ModulesContainer,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  routes(): ManifestRoute[] {
    const served = this.servedRoutes();
    const routes = new Map<string, ManifestRoute>();
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as Constructor | null;
      const instance = wrapper.instance as object | undefined;
      if (!controller || !instance) continue;
      const listed = Reflect.getMetadata(LISTED_FOR_BRAIN, controller) === true;
      if (this.excludedController(controller) && !listed) continue;
      const modulePath = wrapper.host ? this.modulePath(wrapper.host.metatype as Constructor) : '';
      const controllerPaths = this.paths(Reflect.getMetadata(PATH_METADATA, controller));
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[name] as Constructor;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined || (this.excludedEndpoint(handler) && !listed)) continue;
        const verb = RequestMethod[method];
        for (const controllerPath of controllerPaths) {
          for (const handlerPath of this.paths(Reflect.getMetadata(PATH_METADATA, handler))) {
            const nestPath = joinRoutePath(CREW_PREFIX, modulePath, controllerPath, handlerPath);
            if (nestPath === BRAIN_ROUTES || nestPath.startsWith(`${BRAIN_ROUTES}/`)) continue;
            if (served && !served.has(`${verb} ${nestPath}`)) continue;
            const crewPath = toTemplatePath(nestPath);
            routes.set(`${verb} ${crewPath}`, {
              path: toBrainPath(crewPath),
              method: verb,
              description: this.description(handler, name),
              crew_system_endpoint: crewPath,
              domain: this.domain(crewPath, handler, controller),
            });
          }
        }
      }
    }
    return [...routes.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  }

  private paths(value: unknown): string[] {
    if (Array.isArray(value)) return value.map(String);
    return [typeof value === 'string' ? value : ''];
  }

  private modulePath(module: Constructor): string {
    const value: unknown =
      Reflect.getMetadata(MODULE_PATH + this.modules.applicationId, module) ?? Reflect.getMetadata(MODULE_PATH, module);
    return typeof value === 'string' ? value : '';
  }

  private excludedController(controller: Constructor): boolean {
    const value: unknown = Reflect.getMetadata(API_EXCLUDE_CONTROLLER, controller);
    return Array.isArray(value) && value[0] === true;
  }

  private excludedEndpoint(handler: Constructor): boolean {
    const value = Reflect.getMetadata(API_EXCLUDE_ENDPOINT, handler) as { disable?: boolean } | undefined;
    return value?.disable === true;
  }

  private description(handler: Constructor, name: string): string {
    const operation = Reflect.getMetadata(API_OPERATION, handler) as { summary?: string } | undefined;
    return operation?.summary ?? name;
  }

  /** A business domain from the path (/api/crew/crm/…), else the route's first OpenAPI tag, else `system`. */
  private domain(crewPath: string, handler: Constructor, controller: Constructor): string {
    const first = crewPath.slice(CREW_PREFIX.length + 1).split('/')[0];
    if (DOMAIN_NAMES.has(first)) return first;
    const tags = this.reflector.getAllAndOverride<string[] | undefined>(API_TAGS, [handler, controller]);
    return tags?.[0] ?? 'system';
  }

  /** `METHOD /path` of every route the HTTP router serves, or null when the router cannot be inspected. */
  private servedRoutes(): Set<string> | null {
    const app = this.adapterHost.httpAdapter?.getInstance<{ router?: { stack?: ExpressLayer[] } }>();
    const stack = app?.router?.stack;
    if (!Array.isArray(stack)) return null;
    const served = new Set<string>();
    for (const layer of stack) {
      if (typeof layer.route?.path !== 'string') continue;
      for (const [method, on] of Object.entries(layer.route.methods ?? {})) {
        if (on) served.add(`${method.toUpperCase()} ${layer.route.path}`);
      }
    }
    return served;
  }
}
