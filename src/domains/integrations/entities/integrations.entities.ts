import { IntegrationConnectionEntity } from './integration-connection.entity.js';
import { IntegrationRecordEntity } from './integration-record.entity.js';
import { SyncRunEntity } from './sync-run.entity.js';

/** The tables this domain owns, registered by its module and declared by its supervisor. */
export const INTEGRATIONS_ENTITIES = [IntegrationConnectionEntity, SyncRunEntity, IntegrationRecordEntity];
