import { describes, int, object, oneOfValues, str } from '../../../tasks/result-schema.js';
import type { TaskTypeDefinition } from '../../../tasks/task-type.js';
import { describeSource } from '../../shared/upstream-fetch.js';
import {
  checkSyncParams,
  contactList,
  type CrmSyncConfig,
  fetchContacts,
  SYNC_TARGETS,
  SyncContactsParams,
  type SyncResult,
  upsertContacts,
  validateContacts,
} from './crm-sync.js';

export const CRM_SYNC_CONFIG = Symbol('CRM_SYNC_CONFIG');

const RESULT_SCHEMA = describes<SyncResult>()(
  object({
    target: oneOfValues(SYNC_TARGETS),
    source: str({ description: 'Origin and path of the upstream (no query string).' }),
    attempts: int(),
    fetched: int(),
    created: int(),
    updated: int(),
    unchanged: int(),
  }),
);

/** `sync_crm_contacts` (direct_api): fetch, validate everything, then upsert in one transaction. */
export function syncTaskType(config: CrmSyncConfig, allowPrivate: boolean): TaskTypeDefinition<SyncContactsParams, SyncResult> {
  const definition: TaskTypeDefinition<SyncContactsParams, SyncResult> = {
    type: 'sync_crm_contacts',
    effect: 'update',
    domain: 'crm',
    description:
      'Imports contacts from an upstream CRM export (GET source_url or CRM_SYNC_URL, a JSON list): validates every record, then upserts customers (or leads, target "leads") by external_id in one transaction — idempotent, nothing written on any failure. Retries timeouts, connection failures, 429 and 5xx with backoff.',
    complexity: 'moderate',
    strategy: 'direct_api',
    requiresAi: false,
    parameters: SyncContactsParams,
    resultSchema: RESULT_SCHEMA,
    check: (p) => checkSyncParams(p, config, allowPrivate),
    run: async (context, p) => {
      const url = (p.source_url ?? config.url) as string;
      const source = describeSource(url);
      const target = p.target ?? 'customers';
      const fetched = await context.trace.run(
        { kind: 'tool', name: 'fetch_contacts', input: { source, target } },
        () =>
          fetchContacts(url, {
            timeoutMs: p.timeout_ms ?? config.timeoutMs,
            retries: config.retries,
            allowPrivate,
            signal: context.signal,
          }),
        (value) => ({ attempts: value.attempts }),
      );
      const list = contactList(fetched.body, source);
      const rows = await validateContacts(list, target, source);
      // Only `manager` inside the write: another connection would wait on its transaction (and deadlock the embedded database).
      const counts = await context.trace.run(
        { kind: 'direct', name: `upsert_${target}`, input: { records: rows.length } },
        () => context.write((manager) => upsertContacts(manager, target, context.tenantId, rows)),
        (value) => value,
      );
      const result: SyncResult = { target, source, attempts: fetched.attempts, fetched: list.length, ...counts };
      return { aiMode: 'deterministic', result };
    },
  };
  return definition;
}
