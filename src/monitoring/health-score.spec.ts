import { describe, expect, it } from 'vitest';
import { healthScore } from './health-score.js';
import { loadMonitoringSettings } from './monitoring-settings.js';

const settings = loadMonitoringSettings({});

describe('healthScore', () => {
  it('is 100 and healthy without data or problems', () => {
    expect(healthScore({ successRate: null, executionP95S: null, queueWaitS: null }, settings)).toEqual({
      score: 100,
      status: 'healthy',
      penalties: [],
    });
    expect(healthScore({ successRate: 1, executionP95S: 59.999, queueWaitS: 29.999 }, settings).score).toBe(100);
  });

  it('takes a point per failed percent (at most 50) and fixed points per latency and queue level', () => {
    expect(healthScore({ successRate: 0.95, executionP95S: 60, queueWaitS: 30 }, settings)).toEqual({
      score: 87,
      status: 'healthy',
      penalties: [
        { reason: 'success rate 95%', points: 5 },
        { reason: 'p95 execution time at the warning threshold', points: 5 },
        { reason: 'queue wait at the warning threshold', points: 3 },
      ],
    });
    expect(healthScore({ successRate: 0.9, executionP95S: 120, queueWaitS: 120 }, settings)).toMatchObject({
      score: 70,
      status: 'degraded',
    });
    expect(healthScore({ successRate: 0.9, executionP95S: 300, queueWaitS: 300 }, settings)).toMatchObject({
      score: 55,
      status: 'degraded',
    });
    expect(healthScore({ successRate: 0, executionP95S: 300, queueWaitS: 300 }, settings)).toMatchObject({
      score: 15,
      status: 'unhealthy',
    });
  });

  it('draws the status lines at 80 and 50', () => {
    expect(healthScore({ successRate: 0.8, executionP95S: null, queueWaitS: null }, settings)).toMatchObject({
      score: 80,
      status: 'healthy',
    });
    expect(healthScore({ successRate: 0.79, executionP95S: null, queueWaitS: null }, settings)).toMatchObject({
      score: 79,
      status: 'degraded',
    });
    expect(healthScore({ successRate: 0.5, executionP95S: null, queueWaitS: null }, settings)).toMatchObject({
      score: 50,
      status: 'degraded',
    });
    expect(healthScore({ successRate: 0.5, executionP95S: 60, queueWaitS: null }, settings)).toMatchObject({
      score: 45,
      status: 'unhealthy',
    });
  });
});
