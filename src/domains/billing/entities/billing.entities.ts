import { InvoiceEntity } from './invoice.entity.js';
import { PaymentEntity } from './payment.entity.js';
import { SubscriptionEntity } from './subscription.entity.js';
import { SubscriptionChangeEntity } from './subscription-change.entity.js';

/** The tables this domain owns, registered by its module and declared by its supervisor. */
export const BILLING_ENTITIES = [SubscriptionEntity, SubscriptionChangeEntity, InvoiceEntity, PaymentEntity];
