import type { Request } from 'express';
import type { Principal } from './api-key-ring.js';

/** Who is calling: a key's principal, or `open` when no keys are configured. */
export type AuthContext = Principal | { kind: 'open' };

const contexts = new WeakMap<Request, AuthContext>();

export function setAuthContext(request: Request, context: AuthContext): void {
  contexts.set(request, context);
}

export function authContextOf(request: Request): AuthContext | undefined {
  return contexts.get(request);
}
