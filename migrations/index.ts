import { CreateTasks1764028800000 } from './1764028800000-CreateTasks.js';

/** Every migration, in order. Listed explicitly so ESM builds and tests load the same set. */
export const migrations = [CreateTasks1764028800000];
