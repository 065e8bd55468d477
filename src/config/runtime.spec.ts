import { describe, expect, it } from 'vitest';
import { runtimeInfo, satisfiesMinimum } from './runtime.js';

describe('satisfiesMinimum', () => {
  it.each([
    ['v24.11.0', true],
    ['v24.21.0', true],
    ['v24.11.1', true],
    ['v25.0.0', true],
    ['v24.10.9', false],
    ['v23.99.99', false],
    ['v20.20.2', false],
  ])('%s against >=24.11.0 → %s', (version, expected) => {
    expect(satisfiesMinimum(version, '>=24.11.0')).toBe(expected);
  });

  it('reports a range form it does not understand as unsupported instead of guessing', () => {
    expect(satisfiesMinimum('v24.21.0', '^24')).toBe(false);
    expect(satisfiesMinimum('v24.21.0', 'unknown')).toBe(false);
  });
});

describe('runtimeInfo', () => {
  it("reads the supported range from the service's package.json and checks this process against it", () => {
    expect(runtimeInfo()).toEqual({
      node: process.version,
      node_supported: '>=24.11.0',
      supported: satisfiesMinimum(process.version, '>=24.11.0'),
      platform: process.platform,
      arch: process.arch,
      pid: process.pid,
    });
  });
});
