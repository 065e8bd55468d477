import type { Env } from './env-parsers.js';

/**
 * One module's part of the configuration tree: the token its providers inject, and the parser of its own
 * variables. The parser sits beside the module; src/config.tree.ts composes every section and validates them
 * together once at boot, and AppModule provides each section's value under its token.
 */
export interface ConfigSection<T> {
  readonly token: symbol;
  /** Parses the section from the environment; throws ConfigError naming the first bad variable. */
  load(env: Env): T;
}

/** The value a section parses to. */
export type SectionValue<S> = S extends ConfigSection<infer T> ? T : never;

export function configSection<T>(token: symbol, load: (env: Env) => T): ConfigSection<T> {
  return { token, load };
}
