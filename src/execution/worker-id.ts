import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** Identifies this process in `tasks.worker_id` (host, pid and a nonce in case pids repeat). */
export const WORKER_ID = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
