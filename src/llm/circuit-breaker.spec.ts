import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';

function breakerWithClock(failureThreshold = 3, cooldownMs = 1000) {
  const clock = { now: 10_000 };
  const breaker = new CircuitBreaker({ failureThreshold, cooldownMs, now: () => clock.now });
  return { breaker, clock };
}

describe('CircuitBreaker', () => {
  it('stays closed below the threshold and opens on the Nth consecutive failure', () => {
    const { breaker } = breakerWithClock(3);
    breaker.failure();
    breaker.failure();
    expect(breaker.state).toBe('closed');
    expect(breaker.allow()).toBe(true);
    breaker.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.allow()).toBe(false);
    expect(breaker.failures).toBe(3);
  });

  it('counts only consecutive failures: a success resets the count', () => {
    const { breaker } = breakerWithClock(3);
    breaker.failure();
    breaker.failure();
    breaker.success();
    breaker.failure();
    breaker.failure();
    expect(breaker.state).toBe('closed');
    expect(breaker.failures).toBe(2);
  });

  it('release() neither counts as a failure nor resets the count', () => {
    const { breaker } = breakerWithClock(2);
    breaker.failure();
    breaker.release();
    expect(breaker.failures).toBe(1);
    breaker.failure();
    expect(breaker.state).toBe('open');
  });

  it('goes half-open after the cooldown and lets exactly one probe through', () => {
    const { breaker, clock } = breakerWithClock(1, 1000);
    breaker.failure();
    clock.now += 400;
    expect(breaker.state).toBe('open');
    expect(breaker.retryAfterMs).toBe(600);
    clock.now += 600;
    expect(breaker.state).toBe('half_open');
    expect(breaker.retryAfterMs).toBe(0);
    expect(breaker.allow()).toBe(true);
    expect(breaker.allow()).toBe(false);
  });

  it('closes when the probe succeeds', () => {
    const { breaker, clock } = breakerWithClock(2, 1000);
    breaker.failure();
    breaker.failure();
    clock.now += 1000;
    expect(breaker.allow()).toBe(true);
    breaker.success();
    expect(breaker.state).toBe('closed');
    expect(breaker.failures).toBe(0);
    expect(breaker.allow()).toBe(true);
    expect(breaker.allow()).toBe(true);
  });

  it('reopens for a full cooldown when the probe fails', () => {
    const { breaker, clock } = breakerWithClock(2, 1000);
    breaker.failure();
    breaker.failure();
    clock.now += 1500;
    expect(breaker.allow()).toBe(true);
    breaker.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.retryAfterMs).toBe(1000);
    expect(breaker.allow()).toBe(false);
  });

  it('frees the probe slot when the probe ends without a verdict', () => {
    const { breaker, clock } = breakerWithClock(1, 1000);
    breaker.failure();
    clock.now += 1000;
    expect(breaker.allow()).toBe(true);
    breaker.release();
    expect(breaker.state).toBe('half_open');
    expect(breaker.allow()).toBe(true);
  });

  it('rejects a nonsensical configuration', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0, cooldownMs: 1000 })).toThrow(
      'failureThreshold must be a positive integer, got 0',
    );
    expect(() => new CircuitBreaker({ failureThreshold: 1, cooldownMs: -1 })).toThrow('cooldownMs must be >= 0, got -1');
  });
});
