/** The one tenant the demo loader writes into: it never touches another tenant's records. */
export const DEMO_TENANT = 'demo';

/** The task type that loads the demo tenant (`npm run demo` submits it). */
export const LOAD_DEMO_DATA = 'load_demo_data';

/** Faker's seed: every install generates the same records (dates shifted to its own day). */
export const DEMO_SEED = 20_261_207;
