import { CreateTasks1764028800000 } from './1764028800000-CreateTasks.js';
import { CreateBrainAndTenants1764028900000 } from './1764028900000-CreateBrainAndTenants.js';
import { CreateLlmCacheAndMemory1764029000000 } from './1764029000000-CreateLlmCacheAndMemory.js';
import { TaskParametersJson1764029050000 } from './1764029050000-TaskParametersJson.js';
import { CreateCrmTables1764029100000 } from './1764029100000-CreateCrmTables.js';
import { CreateEcommerceTables1764029200000 } from './1764029200000-CreateEcommerceTables.js';
import { CreateBillingTables1764029300000 } from './1764029300000-CreateBillingTables.js';
import { CreateCmsTables1764029400000 } from './1764029400000-CreateCmsTables.js';
import { CreateIntegrationsTables1764029500000 } from './1764029500000-CreateIntegrationsTables.js';
import { CreateMonitoring1764288000000 } from './1764288000000-CreateMonitoring.js';
import { ActiveTasksIndex1764900000000 } from './1764900000000-ActiveTasksIndex.js';
import { TaskRequestId1764900100000 } from './1764900100000-TaskRequestId.js';

/** Every migration, in order. Listed explicitly so ESM builds and tests load the same set. */
export const migrations = [
  CreateTasks1764028800000,
  CreateBrainAndTenants1764028900000,
  CreateLlmCacheAndMemory1764029000000,
  TaskParametersJson1764029050000,
  CreateCrmTables1764029100000,
  CreateEcommerceTables1764029200000,
  CreateBillingTables1764029300000,
  CreateCmsTables1764029400000,
  CreateIntegrationsTables1764029500000,
  CreateMonitoring1764288000000,
  ActiveTasksIndex1764900000000,
  TaskRequestId1764900100000,
];
