import { configSection } from '../../config/config-section.js';
import { type Env, httpUrl, int, optionalStr } from '../../config/env-parsers.js';

/** Settings of the CMS domain, its section of the configuration tree (a bad value stops the boot naming the variable). */
export interface CmsConfig {
  /** CMS_SYNC_URL: the upstream cms_sync_content reads when the task gives no source_url. */
  syncUrl: string | undefined;
  /** CMS_SYNC_TOKEN: sent as "Authorization: Bearer …" to the sync upstream when set. */
  syncToken: string | undefined;
  /** CMS_SYNC_TIMEOUT_MS: per-attempt timeout (default 10000). */
  syncTimeoutMs: number;
  /** CMS_SYNC_MAX_RETRIES: retries after the first attempt (default 2). */
  syncMaxRetries: number;
  /** CMS_SYNC_RETRY_BACKOFF_MS: first retry delay, doubling per retry (default 500). */
  syncBackoffMs: number;
}

export const CMS_CONFIG = Symbol('CMS_CONFIG');

export function loadCmsConfig(env: Env): CmsConfig {
  return {
    syncUrl: httpUrl(env, 'CMS_SYNC_URL'),
    syncToken: optionalStr(env, 'CMS_SYNC_TOKEN'),
    syncTimeoutMs: int(env, 'CMS_SYNC_TIMEOUT_MS', 10_000, 100, 120_000),
    syncMaxRetries: int(env, 'CMS_SYNC_MAX_RETRIES', 2, 0, 5),
    syncBackoffMs: int(env, 'CMS_SYNC_RETRY_BACKOFF_MS', 500, 0, 60_000),
  };
}

export const cmsConfigSection = configSection(CMS_CONFIG, loadCmsConfig);
