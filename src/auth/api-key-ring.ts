import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKey } from '../config/app-config.js';

export type Principal = { kind: 'service' } | { kind: 'tenant'; tenantId: string };

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * The configured API keys, held only as SHA-256 digests. Matching compares the digest of the presented
 * key with every entry in constant time (equal-length digests, no early exit), so neither timing nor
 * a key's length tells an attacker how close a guess was.
 */
export class ApiKeyRing {
  private readonly entries: { digest: Buffer; tenant: string }[];

  constructor(keys: readonly ApiKey[]) {
    this.entries = keys.map((key) => ({ digest: digest(key.key), tenant: key.tenant }));
  }

  /** No keys configured: authentication is off (refused at boot in production). */
  get enabled(): boolean {
    return this.entries.length > 0;
  }

  match(presented: string): Principal | undefined {
    const candidate = digest(presented);
    let found: string | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(candidate, entry.digest) && found === undefined) found = entry.tenant;
    }
    if (found === undefined) return undefined;
    return found === '*' ? { kind: 'service' } : { kind: 'tenant', tenantId: found };
  }
}

/** The key a request presents: `Authorization: Bearer <key>`, else `X-API-Key: <key>`. */
export function presentedKey(authorization: string | undefined, apiKeyHeader: string | undefined): string | undefined {
  const bearer = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
  if (bearer) return bearer;
  const key = apiKeyHeader?.trim();
  return key ? key : undefined;
}
