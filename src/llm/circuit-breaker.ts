export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** Consecutive provider failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one probe call is let through. */
  cooldownMs: number;
  /** Clock in milliseconds; injectable for tests. */
  now?: () => number;
}

export const DEFAULT_CIRCUIT_BREAKER_OPTIONS: Readonly<CircuitBreakerOptions> = Object.freeze({
  failureThreshold: 5,
  cooldownMs: 30_000,
});

/**
 * Stops calling a provider that keeps failing. Closed: calls pass and consecutive failures are counted.
 * Open: calls are refused until the cooldown ends. Half-open: exactly one probe call passes; its success
 * closes the circuit, its failure opens it for another cooldown.
 *
 * Callers report every call allowed through with exactly one of `success()`, `failure()` or `release()`
 * (the call ended without saying anything about the provider's health, e.g. it was cancelled).
 */
export class CircuitBreaker {
  private readonly now: () => number;
  private consecutiveFailures = 0;
  private openedAt: number | undefined;
  private probeInFlight = false;

  constructor(private readonly options: CircuitBreakerOptions = DEFAULT_CIRCUIT_BREAKER_OPTIONS) {
    if (!Number.isInteger(options.failureThreshold) || options.failureThreshold < 1) {
      throw new RangeError(`failureThreshold must be a positive integer, got ${options.failureThreshold}`);
    }
    if (!(options.cooldownMs >= 0)) throw new RangeError(`cooldownMs must be >= 0, got ${options.cooldownMs}`);
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.options.cooldownMs ? 'half_open' : 'open';
  }

  get failures(): number {
    return this.consecutiveFailures;
  }

  /** Milliseconds until a probe may pass (0 unless the circuit is open). */
  get retryAfterMs(): number {
    if (this.openedAt === undefined) return 0;
    return Math.max(0, this.openedAt + this.options.cooldownMs - this.now());
  }

  /** Whether a call may go to the provider now. A true answer in half-open state reserves the single probe. */
  allow(): boolean {
    switch (this.state) {
      case 'closed':
        return true;
      case 'open':
        return false;
      case 'half_open':
        if (this.probeInFlight) return false;
        this.probeInFlight = true;
        return true;
    }
  }

  success(): void {
    this.consecutiveFailures = 0;
    this.openedAt = undefined;
    this.probeInFlight = false;
  }

  failure(): void {
    this.consecutiveFailures += 1;
    const probeFailed = this.probeInFlight;
    this.probeInFlight = false;
    if (probeFailed || this.consecutiveFailures >= this.options.failureThreshold) this.openedAt = this.now();
  }

  release(): void {
    this.probeInFlight = false;
  }
}
