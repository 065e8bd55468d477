import { CreateTasks1764028800000 } from './1764028800000-CreateTasks.js';
import { CreateBrainAndTenants1764028900000 } from './1764028900000-CreateBrainAndTenants.js';
import { CreateLlmCacheAndMemory1764029000000 } from './1764029000000-CreateLlmCacheAndMemory.js';
import { TaskParametersJson1764029050000 } from './1764029050000-TaskParametersJson.js';
import { CreateCrmTables1764029100000 } from './1764029100000-CreateCrmTables.js';
import { CreateMonitoring1764288000000 } from './1764288000000-CreateMonitoring.js';

/** Every migration, in order. Listed explicitly so ESM builds and tests load the same set. */
export const migrations = [
  CreateTasks1764028800000,
  CreateBrainAndTenants1764028900000,
  CreateLlmCacheAndMemory1764029000000,
  TaskParametersJson1764029050000,
  CreateCrmTables1764029100000,
  CreateMonitoring1764288000000,
];
