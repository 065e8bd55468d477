import { type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

export const IS_PUBLIC = 'crew:public';
export const SERVICE_KEY_ONLY = 'crew:service-key-only';

/** The route needs no API key (health probes, /metrics). Every other route is guarded by default. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Only a service key (`key:*`) may call the route: operator actions such as registering with the Brain. */
export const ServiceKeyOnly = (): MethodDecorator & ClassDecorator => SetMetadata(SERVICE_KEY_ONLY, true);

export interface RouteAccess {
  isPublic: boolean;
  serviceKeyOnly: boolean;
}

const accessByRoute = new WeakMap<object, WeakMap<object, RouteAccess>>();

/**
 * What the decorators above say about the route a request reached (handler over class), read once per route:
 * route metadata is fixed at boot, and both global guards ask on every request.
 */
export function routeAccess(reflector: Reflector, context: ExecutionContext): RouteAccess {
  const handler = context.getHandler();
  const controller = context.getClass();
  let byController = accessByRoute.get(handler);
  if (!byController) accessByRoute.set(handler, (byController = new WeakMap()));
  let access = byController.get(controller);
  if (!access) {
    const targets = [handler, controller];
    access = {
      isPublic: reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets) === true,
      serviceKeyOnly: reflector.getAllAndOverride<boolean | undefined>(SERVICE_KEY_ONLY, targets) === true,
    };
    byController.set(controller, access);
  }
  return access;
}
