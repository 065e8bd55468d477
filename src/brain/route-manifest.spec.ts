import { describe, expect, it } from 'vitest';
import { joinRoutePath, manifestHash, toBrainPath, toTemplatePath } from './route-manifest.js';

describe('route manifest paths', () => {
  it('joins Nest path parts', () => {
    expect(joinRoutePath('/api/crew', '', 'task', ':id/')).toBe('/api/crew/task/:id');
    expect(joinRoutePath('/api/crew', '/', '/')).toBe('/api/crew');
  });

  it('converts parameters to templates and mirrors crew paths to Brain paths', () => {
    expect(toTemplatePath('/api/crew/task/:id/events')).toBe('/api/crew/task/{id}/events');
    expect(toBrainPath('/api/crew/task/{id}')).toBe('/api/brain/crew/task/{id}');
    expect(() => toBrainPath('/metrics')).toThrow('/metrics is not under /api/crew');
  });

  it('hashes the route set regardless of order and descriptions', () => {
    const a = { method: 'GET', crew_system_endpoint: '/api/crew/health' };
    const b = { method: 'POST', crew_system_endpoint: '/api/crew/execute' };
    expect(manifestHash([a, b])).toBe(manifestHash([b, a]));
    expect(manifestHash([a, b])).not.toBe(manifestHash([a]));
  });
});
