/** Thrown when an environment variable has a value the service cannot run with. One line, names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    allowed: string,
    value: string,
  ) {
    super(`Invalid configuration: ${variable}=${JSON.stringify(value)} — ${allowed}`);
    this.name = 'ConfigError';
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Reads one variable; empty strings count as unset so `FOO=` in a .env file means "use the default". */
export function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function str(env: Env, name: string, fallback: string): string {
  return raw(env, name) ?? fallback;
}

export function optionalStr(env: Env, name: string): string | undefined {
  return raw(env, name);
}

export function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new ConfigError(name, `expected an integer from ${min} to ${max}`, value);
  }
  return parsed;
}

export function num(env: Env, name: string, fallback: number | undefined, min: number, max: number): number | undefined {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
    throw new ConfigError(name, `expected a number from ${min} to ${max}`, value);
  }
  return parsed;
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

export function bool(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const lower = value.toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  throw new ConfigError(name, 'expected true or false (also 1/0, yes/no, on/off)', value);
}

export function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const lower = value.toLowerCase();
  const match = allowed.find((candidate) => candidate === lower);
  if (!match) throw new ConfigError(name, `expected one of ${allowed.join(', ')}`, value);
  return match;
}

export function httpUrl(env: Env, name: string, fallback?: string): string | undefined {
  const value = raw(env, name) ?? fallback;
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, 'expected an absolute http(s) URL', value);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(name, 'expected an absolute http(s) URL', value);
  }
  return value.replace(/\/+$/, '');
}

/** Parses sizes such as `1mb`, `512kb`, `1048576` into bytes. */
export function byteSize(env: Env, name: string, fallback: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(value);
  if (!match) throw new ConfigError(name, 'expected a size such as 1048576, 512kb or 1mb', value);
  const units: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
  const bytes = Math.round(Number(match[1]) * units[(match[2] ?? 'b').toLowerCase()]);
  if (bytes < 1024 || bytes > 100 * 1024 ** 2) throw new ConfigError(name, 'expected a size from 1kb to 100mb', value);
  return bytes;
}

export function list(env: Env, name: string): string[] {
  const value = raw(env, name);
  if (value === undefined) return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
