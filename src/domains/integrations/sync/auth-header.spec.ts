import { describe, expect, it } from 'vitest';
import { authHeaders, authRefProblem, tenantEnvKey } from './auth-header.js';

describe('auth header references', () => {
  it('derives a tenant namespace without "__" inside it', () => {
    expect(tenantEnvKey('acme')).toBe('ACME');
    expect(tenantEnvKey('acme-eu.prod')).toBe('ACME_EU_PROD');
    expect(tenantEnvKey('acme__corp')).toBe('ACME_CORP');
    expect(tenantEnvKey('-x:y-')).toBe('X_Y');
  });

  it("refuses another tenant's or the service's variables", () => {
    expect(authRefProblem('acme', 'INTEGRATION_ACME__HUBSPOT')).toBeNull();
    expect(authRefProblem('acme', 'INTEGRATION_ACME_CORP__HUBSPOT')).toBe(
      'auth_header_ref must start with INTEGRATION_ACME__ for tenant acme',
    );
    expect(authRefProblem('acme_corp', 'INTEGRATION_ACME__CORP__X')).toBe(
      'auth_header_ref must start with INTEGRATION_ACME_CORP__ for tenant acme_corp',
    );
    expect(authRefProblem('acme', 'OPENAI_API_KEY')).toBe('auth_header_ref must start with INTEGRATION_ACME__ for tenant acme');
  });

  it('reads the header value from the environment at sync time', () => {
    const env = { INTEGRATION_ACME__TOKEN: 'Bearer s3cret' };
    expect(authHeaders('acme', 'INTEGRATION_ACME__TOKEN', 'Authorization', env)).toEqual({
      ok: true,
      headers: { Authorization: 'Bearer s3cret' },
    });
    expect(authHeaders('acme', null, 'Authorization', env)).toEqual({ ok: true, headers: {} });
    expect(authHeaders('acme', 'INTEGRATION_ACME__MISSING', 'X-Api-Key', env)).toEqual({
      ok: false,
      reason: 'environment variable INTEGRATION_ACME__MISSING (auth_header_ref) is not set on the service',
    });
    expect(authHeaders('other', 'INTEGRATION_ACME__TOKEN', 'Authorization', env)).toEqual({
      ok: false,
      reason: 'auth_header_ref must start with INTEGRATION_OTHER__ for tenant other',
    });
  });
});
