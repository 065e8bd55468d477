import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/app-config.js';
import { ApiKeyRing, presentedKey } from './api-key-ring.js';
import { checkSecurityAtBoot, InsecureConfigError, NO_API_KEYS_WARNING } from './security-boot-check.js';
import { loadSecuritySettings } from './security-settings.js';

const TENANT_KEY = 'tenant-key-0123456789abcdef';
const SERVICE_KEY = 'service-key-0123456789abcdef';

describe('ApiKeyRing', () => {
  const ring = new ApiKeyRing([
    { key: TENANT_KEY, tenant: 'acme' },
    { key: SERVICE_KEY, tenant: '*' },
  ]);

  it('matches tenant and service keys exactly', () => {
    expect(ring.enabled).toBe(true);
    expect(ring.match(TENANT_KEY)).toEqual({ kind: 'tenant', tenantId: 'acme' });
    expect(ring.match(SERVICE_KEY)).toEqual({ kind: 'service' });
  });

  it('refuses near misses: prefixes, extensions, case changes, empty', () => {
    for (const guess of [TENANT_KEY.slice(0, -1), `${TENANT_KEY}x`, TENANT_KEY.toUpperCase(), '', ' ', `${SERVICE_KEY} `]) {
      expect(ring.match(guess), JSON.stringify(guess)).toBeUndefined();
    }
  });

  it('is off without keys', () => {
    expect(new ApiKeyRing([]).enabled).toBe(false);
    expect(new ApiKeyRing([]).match(TENANT_KEY)).toBeUndefined();
  });

  it('holds digests, not the keys', () => {
    expect(JSON.stringify(ring)).not.toContain(TENANT_KEY);
    expect(JSON.stringify(Object.values(ring))).not.toContain(SERVICE_KEY);
  });
});

describe('presentedKey', () => {
  it('reads Authorization: Bearer first, then X-API-Key', () => {
    expect(presentedKey(`Bearer ${TENANT_KEY}`, undefined)).toBe(TENANT_KEY);
    expect(presentedKey(`bearer   ${TENANT_KEY} `, undefined)).toBe(TENANT_KEY);
    expect(presentedKey(undefined, ` ${SERVICE_KEY} `)).toBe(SERVICE_KEY);
    expect(presentedKey(`Bearer ${TENANT_KEY}`, SERVICE_KEY)).toBe(TENANT_KEY);
  });

  it('ignores other schemes and blanks', () => {
    expect(presentedKey(`Basic ${Buffer.from('a:b').toString('base64')}`, undefined)).toBeUndefined();
    expect(presentedKey('Bearer', undefined)).toBeUndefined();
    expect(presentedKey(undefined, '  ')).toBeUndefined();
    expect(presentedKey(undefined, undefined)).toBeUndefined();
  });
});

describe('security at boot', () => {
  it('refuses production without keys, warns elsewhere, is quiet with keys', () => {
    expect(() => checkSecurityAtBoot(loadConfig({ ENVIRONMENT: 'production' }))).toThrow(InsecureConfigError);
    expect(() => checkSecurityAtBoot(loadConfig({ ENVIRONMENT: 'production' }))).toThrow(
      'Refusing to start: ENVIRONMENT=production requires CREW_API_KEYS (a comma list of key:tenant or key:* entries, keys of at least 16 characters).',
    );
    expect(checkSecurityAtBoot(loadConfig({ ENVIRONMENT: 'development' }))).toBe(NO_API_KEYS_WARNING);
    expect(checkSecurityAtBoot(loadConfig({ ENVIRONMENT: 'production', CREW_API_KEYS: `${SERVICE_KEY}:*` }))).toBeNull();
  });

  it('reads TENANT_RATE_LIMIT_PER_MINUTE with a default and bounds', () => {
    expect(loadSecuritySettings({})).toEqual({ tenantRateLimitPerMinute: 600 });
    expect(loadSecuritySettings({ TENANT_RATE_LIMIT_PER_MINUTE: '0' })).toEqual({ tenantRateLimitPerMinute: 0 });
    expect(() => loadSecuritySettings({ TENANT_RATE_LIMIT_PER_MINUTE: 'many' })).toThrow(
      'Invalid configuration: TENANT_RATE_LIMIT_PER_MINUTE="many" — expected an integer from 0 to 1000000',
    );
  });
});
