import { configSection } from '../../config/config-section.js';
import { type Env, httpUrl, optionalStr } from '../../config/env-parsers.js';

export const BILLING_SYNC_CONFIG = Symbol('BILLING_SYNC_CONFIG');

/** Where sync_payments reads when a task gives no source_url. */
export interface BillingSyncConfig {
  /** BILLING_PAYMENTS_URL: answers {"payments": [...]}. */
  paymentsUrl?: string;
  /** BILLING_SYNC_TOKEN: sent as a bearer token. */
  token?: string;
}

export function loadBillingSyncConfig(env: Env): BillingSyncConfig {
  return { paymentsUrl: httpUrl(env, 'BILLING_PAYMENTS_URL'), token: optionalStr(env, 'BILLING_SYNC_TOKEN') };
}

/** The billing module's section of the configuration tree. */
export const billingConfigSection = configSection(BILLING_SYNC_CONFIG, loadBillingSyncConfig);
