import type { ValueProvider } from '@nestjs/common';
import { securityConfigSection } from './auth/security-settings.js';
import { appConfigSection } from './config/app-config.js';
import type { ConfigSection, SectionValue } from './config/config-section.js';
import type { Env } from './config/env-parsers.js';
import { DOMAIN_MODULES } from './domains/domains.module.js';
import { llmConfigSection } from './llm/llm-runtime.config.js';
import { monitoringConfigSection } from './monitoring/monitoring-settings.js';

type DomainModules = typeof DOMAIN_MODULES;

/** The domains whose module declares settings, each under its domain's name. */
type DomainSections = {
  [D in keyof DomainModules as DomainModules[D] extends { settings: ConfigSection<unknown> } ? D : never]: DomainModules[D] extends {
    settings: infer S;
  }
    ? S
    : never;
};

/** Each domain's section, as its module declares it, in the domains' order. */
const DOMAIN_SECTIONS = Object.fromEntries(
  Object.entries(DOMAIN_MODULES).flatMap(([domain, module]) => ('settings' in module ? [[domain, module.settings]] : [])),
) as DomainSections;

/**
 * Every module's configuration section, in the order they are validated (the first bad variable is the one
 * named). Composed here, beside AppModule, because src/config may not import the modules above it.
 */
export const CONFIG_SECTIONS = {
  app: appConfigSection,
  auth: securityConfigSection,
  llm: llmConfigSection,
  monitoring: monitoringConfigSection,
  ...DOMAIN_SECTIONS,
} as const;

type Sections = typeof CONFIG_SECTIONS;

/** The whole configuration: AppConfig under `app`, and each module's section under the module's name. */
export type ConfigTree = { readonly [K in keyof Sections]: SectionValue<Sections[K]> };

/**
 * Parses and validates the whole environment once, at boot: the only reader of the environment besides
 * main.ts. Throws ConfigError (one line naming the variable) at the first bad value.
 */
export function loadConfigTree(env: Env): ConfigTree {
  const tree: Record<string, unknown> = {};
  for (const [name, section] of Object.entries(CONFIG_SECTIONS)) tree[name] = section.load(env);
  return Object.freeze(tree) as ConfigTree;
}

/** One provider per section, under the token its module injects (AppModule provides and exports them). */
export function configProviders(tree: ConfigTree): ValueProvider[] {
  return Object.entries(CONFIG_SECTIONS).map(([name, section]) => ({ provide: section.token, useValue: tree[name as keyof Sections] }));
}
