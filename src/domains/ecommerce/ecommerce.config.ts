import { configSection } from '../../config/config-section.js';
import { type Env, httpUrl, optionalStr } from '../../config/env-parsers.js';

export const ECOMMERCE_SYNC_CONFIG = Symbol('ECOMMERCE_SYNC_CONFIG');

/** Where sync_products and sync_ecommerce_orders read when a task gives no source_url. */
export interface EcommerceSyncConfig {
  /** ECOMMERCE_PRODUCTS_URL: answers {"products": [...]}. */
  productsUrl?: string;
  /** ECOMMERCE_ORDERS_URL: answers {"orders": [...]}. */
  ordersUrl?: string;
  /** ECOMMERCE_SYNC_TOKEN: sent as a bearer token to both. */
  token?: string;
}

export function loadEcommerceSyncConfig(env: Env): EcommerceSyncConfig {
  return {
    productsUrl: httpUrl(env, 'ECOMMERCE_PRODUCTS_URL'),
    ordersUrl: httpUrl(env, 'ECOMMERCE_ORDERS_URL'),
    token: optionalStr(env, 'ECOMMERCE_SYNC_TOKEN'),
  };
}

/** The e-commerce module's section of the configuration tree. */
export const ecommerceConfigSection = configSection(ECOMMERCE_SYNC_CONFIG, loadEcommerceSyncConfig);
