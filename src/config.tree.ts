import type { ValueProvider } from '@nestjs/common';
import { securityConfigSection } from './auth/security-settings.js';
import { appConfigSection } from './config/app-config.js';
import type { SectionValue } from './config/config-section.js';
import type { Env } from './config/env-parsers.js';
import { billingConfigSection } from './domains/billing/billing.config.js';
import { cmsConfigSection } from './domains/cms/cms.config.js';
import { crmConfigSection } from './domains/crm/crm.config.js';
import { ecommerceConfigSection } from './domains/ecommerce/ecommerce.config.js';
import { integrationsConfigSection } from './domains/integrations/integrations.config.js';
import { llmConfigSection } from './llm/llm-runtime.config.js';
import { monitoringConfigSection } from './monitoring/monitoring-settings.js';

/**
 * Every module's configuration section, in the order they are validated (the first bad variable is the one
 * named). Composed here, beside AppModule, because src/config may not import the modules above it.
 */
export const CONFIG_SECTIONS = {
  app: appConfigSection,
  auth: securityConfigSection,
  llm: llmConfigSection,
  monitoring: monitoringConfigSection,
  crm: crmConfigSection,
  ecommerce: ecommerceConfigSection,
  billing: billingConfigSection,
  cms: cmsConfigSection,
  integrations: integrationsConfigSection,
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
