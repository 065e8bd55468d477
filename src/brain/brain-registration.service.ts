import { setTimeout as sleep } from 'node:timers/promises';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { BrainClient, BrainUnreachableError } from './brain.client.js';
import { BrainRegistrationEntity, type RegistrationTrigger } from './brain-registration.entity.js';
import { type ManifestRoute, manifestHash } from './route-manifest.js';
import { RouteManifestService } from './route-manifest.service.js';

export const REGISTER_PATH = '/api/brain/admin/register-crew-routes';

export interface RegistrationOutcome {
  registration: BrainRegistrationEntity;
  routes: ManifestRoute[];
}

const STARTUP_ATTEMPTS = 8;
const STARTUP_BACKOFF_BASE_MS = 1000;
const STARTUP_BACKOFF_MAX_MS = 60_000;

/**
 * Registers the route manifest with the Brain API and records every attempt in brain_registrations.
 * With BRAIN_AUTO_REGISTER=true it registers at start-up in the background, retrying with backoff;
 * boot never waits for it or fails because of it.
 */
@Injectable()
export class BrainRegistrationService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(BrainRegistrationService.name);
  private readonly stopping = new AbortController();
  private background?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly brain: BrainClient,
    private readonly manifest: RouteManifestService,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.brain.autoRegister) this.background = this.registerInBackground();
  }

  /** Before the database closes: stop the start-up registration and wait for it to settle. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.background;
  }

  /** One registration (the client retries transient failures); the attempt is stored either way. */
  async register(trigger: RegistrationTrigger, attempts = 1, signal?: AbortSignal): Promise<RegistrationOutcome> {
    const routes = this.manifest.routes();
    const body = {
      routes,
      crew_system_url: this.config.server.publicUrl,
      registration_timestamp: new Date().toISOString(),
    };
    const record: Partial<BrainRegistrationEntity> = {
      brainUrl: this.brain.baseUrl,
      crewSystemUrl: this.config.server.publicUrl,
      routes,
      routeCount: routes.length,
      manifestHash: manifestHash(routes),
      attempts,
      trigger,
    };
    try {
      const response = await this.brain.call(REGISTER_PATH, { method: 'POST', body, signal });
      const ok = response.status >= 200 && response.status < 300;
      Object.assign(record, {
        status: ok ? 'registered' : 'failed',
        httpStatus: response.status,
        response: response.body,
        error: ok ? null : `The Brain API answered ${response.status} to POST ${REGISTER_PATH}`,
      });
    } catch (error) {
      if (!(error instanceof BrainUnreachableError) || signal?.aborted) throw error;
      Object.assign(record, { status: 'failed', httpStatus: null, response: null, error: error.message });
    }
    const registration = await this.dataSource.getRepository(BrainRegistrationEntity).save(record);
    return { registration, routes };
  }

  /** The most recent registration attempt, if any. */
  latest(): Promise<BrainRegistrationEntity | null> {
    return this.dataSource.getRepository(BrainRegistrationEntity).findOne({ where: {}, order: { createdAt: 'DESC' } });
  }

  /** The most recent successful registration, if any. */
  latestSuccessful(): Promise<BrainRegistrationEntity | null> {
    return this.dataSource
      .getRepository(BrainRegistrationEntity)
      .findOne({ where: { status: 'registered' }, order: { createdAt: 'DESC' } });
  }

  private async registerInBackground(): Promise<void> {
    const signal = this.stopping.signal;
    for (let attempt = 1; attempt <= STARTUP_ATTEMPTS && !signal.aborted; attempt++) {
      try {
        const { registration } = await this.register('startup', attempt, signal);
        if (registration.status === 'registered') {
          this.logger.log(`Registered ${registration.routeCount} routes with the Brain API at ${this.brain.baseUrl}`);
          return;
        }
        this.logger.warn(`Brain registration attempt ${attempt}/${STARTUP_ATTEMPTS} failed: ${registration.error}`);
      } catch (error) {
        if (signal.aborted) return;
        this.logger.warn(
          `Brain registration attempt ${attempt}/${STARTUP_ATTEMPTS} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      const delay = Math.min(STARTUP_BACKOFF_MAX_MS, STARTUP_BACKOFF_BASE_MS * 2 ** (attempt - 1));
      if (attempt < STARTUP_ATTEMPTS) await sleep(delay, undefined, { signal }).catch(() => undefined);
    }
    if (!signal.aborted) {
      this.logger.error(
        `Could not register with the Brain API at ${this.brain.baseUrl} after ${STARTUP_ATTEMPTS} attempts; check BRAIN_API_URL and BRAIN_API_TOKEN, then POST /api/crew/brain/register-routes.`,
      );
    }
  }
}
