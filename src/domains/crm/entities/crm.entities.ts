import { CustomerEntity } from './customer.entity.js';
import { DealEntity } from './deal.entity.js';
import { LeadEntity } from './lead.entity.js';

/** The tables this domain owns, registered by its module and declared by its supervisor. */
export const CRM_ENTITIES = [CustomerEntity, LeadEntity, DealEntity];
