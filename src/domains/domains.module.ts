import { Module, type Type } from '@nestjs/common';
import type { Domain } from '../tasks/task.types.js';
import { AnalyticsModule } from './analytics/analytics.module.js';
import { BillingModule } from './billing/billing.module.js';
import { CmsModule } from './cms/cms.module.js';
import { CrmModule } from './crm/crm.module.js';
import { EcommerceModule } from './ecommerce/ecommerce.module.js';
import { IntegrationsModule } from './integrations/integrations.module.js';

/**
 * The six business domains, each by its module: the module registers the domain's supervisor with the delegation
 * registry and, through its static `settings`, contributes the domain's section to the configuration tree. The
 * compiler holds the keys to DOMAINS (src/tasks/task.types.ts), the names the types use.
 */
export const DOMAIN_MODULES = {
  crm: CrmModule,
  ecommerce: EcommerceModule,
  analytics: AnalyticsModule,
  billing: BillingModule,
  cms: CmsModule,
  integrations: IntegrationsModule,
} as const satisfies Record<Domain, Type>;

@Module({ imports: Object.values(DOMAIN_MODULES) })
export class DomainsModule {}
