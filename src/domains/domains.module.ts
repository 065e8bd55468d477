import { Module } from '@nestjs/common';
import { AnalyticsModule } from './analytics/analytics.module.js';
import { BillingModule } from './billing/billing.module.js';
import { CmsModule } from './cms/cms.module.js';
import { CrmModule } from './crm/crm.module.js';
import { EcommerceModule } from './ecommerce/ecommerce.module.js';
import { IntegrationsModule } from './integrations/integrations.module.js';

/** The six business domains; each registers its supervisor with the delegation registry. */
@Module({ imports: [CrmModule, EcommerceModule, AnalyticsModule, BillingModule, CmsModule, IntegrationsModule] })
export class DomainsModule {}
