import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { BrainClient, type BrainResponse, BrainUnreachableError } from './brain.client.js';
import { BrainRegistrationService } from './brain-registration.service.js';
import { manifestHash } from './route-manifest.js';
import { RouteManifestService } from './route-manifest.service.js';

export const BRAIN_HEALTH_PATH = '/api/brain/health';
export const ROUND_TRIP_PATH = '/api/brain/crew/health';

export interface IntegrationProblem {
  check: 'brain_api_accessible' | 'health_check' | 'routes_registered' | 'round_trip';
  problem: string;
  fix: string;
}

export interface IntegrationReport {
  brain_api_accessible: boolean;
  routes_registered: boolean;
  health_check: boolean;
  round_trip: boolean;
  timestamp: string;
  details: {
    brain_api_url: string;
    crew_system_url: string;
    brain_health: { http_status: number | null; body: unknown };
    registration: {
      status: 'registered' | 'failed' | 'never';
      registered_at: string | null;
      registered_route_count: number | null;
      current_route_count: number;
      last_error: string | null;
    };
    round_trip: { http_status: number | null; path: string };
    problems: IntegrationProblem[];
  };
}

const CHECK_TIMEOUT_MS = 5000;
const UNHEALTHY = new Set(['unhealthy', 'error', 'down', 'fail', 'failed']);

type Attempt = { response: BrainResponse } | { unreachable: BrainUnreachableError };

/** GET /brain/validate-integration: the Brain's health, our registration, then a round trip through the Brain. */
@Injectable()
export class BrainValidationService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly brain: BrainClient,
    private readonly registrations: BrainRegistrationService,
    private readonly manifest: RouteManifestService,
  ) {}

  async validate(): Promise<IntegrationReport> {
    const problems: IntegrationProblem[] = [];
    const brainUrl = this.brain.baseUrl;
    const publicUrl = this.config.server.publicUrl;

    const health = await this.attempt(BRAIN_HEALTH_PATH);
    const accessible = 'response' in health;
    const healthStatus = accessible ? health.response.status : null;
    const healthBody = accessible ? health.response.body : null;
    let healthy = false;
    if (!accessible) {
      problems.push({
        check: 'brain_api_accessible',
        problem: health.unreachable.message,
        fix: `Check BRAIN_API_URL (now ${brainUrl}) and that the Brain API is running and reachable from this service.`,
      });
    } else if (healthStatus === 401 || healthStatus === 403) {
      problems.push({
        check: 'health_check',
        problem: `The Brain API refused GET ${BRAIN_HEALTH_PATH} with ${healthStatus}.`,
        fix: 'Check BRAIN_API_TOKEN: it is sent as a bearer token and must be one the Brain API accepts.',
      });
    } else if (healthStatus !== null && (healthStatus < 200 || healthStatus >= 300 || reportsUnhealthy(healthBody))) {
      problems.push({
        check: 'health_check',
        problem: `GET ${BRAIN_HEALTH_PATH} answered ${healthStatus}${reportsUnhealthy(healthBody) ? ' and reports the Brain unhealthy' : ''}.`,
        fix: `Check BRAIN_API_URL (now ${brainUrl}) points at the Brain API itself, and the Brain API's own logs.`,
      });
    } else {
      healthy = true;
    }

    const currentRoutes = this.manifest.routes();
    const [latest, successful] = await Promise.all([this.registrations.latest(), this.registrations.latestSuccessful()]);
    let registered = false;
    if (!successful) {
      problems.push({
        check: 'routes_registered',
        problem: latest
          ? `No registration succeeded yet; the last attempt failed: ${latest.error}`
          : 'The routes were never registered with the Brain API.',
        fix: 'POST /api/crew/brain/register-routes (or start with BRAIN_AUTO_REGISTER=true).',
      });
    } else if (successful.brainUrl !== brainUrl || successful.crewSystemUrl !== publicUrl) {
      problems.push({
        check: 'routes_registered',
        problem: `The last registration was with ${successful.brainUrl} for ${successful.crewSystemUrl}; now BRAIN_API_URL is ${brainUrl} and CREW_PUBLIC_URL ${publicUrl}.`,
        fix: 'POST /api/crew/brain/register-routes to register with the current settings.',
      });
    } else if (successful.manifestHash !== manifestHash(currentRoutes)) {
      problems.push({
        check: 'routes_registered',
        problem: `The routes changed since the last registration (${successful.routeCount} registered, ${currentRoutes.length} now).`,
        fix: 'POST /api/crew/brain/register-routes to register the current routes.',
      });
    } else {
      registered = true;
    }

    let roundTrip = false;
    let roundTripStatus: number | null = null;
    if (accessible) {
      const trip = await this.attempt(ROUND_TRIP_PATH);
      roundTripStatus = 'response' in trip ? trip.response.status : null;
      const problem = this.roundTripProblem(trip, publicUrl);
      if (problem) problems.push(problem);
      else roundTrip = true;
    } else {
      problems.push({
        check: 'round_trip',
        problem: 'Not attempted: the Brain API is unreachable.',
        fix: `Make the Brain API reachable at BRAIN_API_URL (now ${brainUrl}) first.`,
      });
    }

    return {
      brain_api_accessible: accessible,
      routes_registered: registered,
      health_check: healthy,
      round_trip: roundTrip,
      timestamp: new Date().toISOString(),
      details: {
        brain_api_url: brainUrl,
        crew_system_url: publicUrl,
        brain_health: { http_status: healthStatus, body: healthBody },
        registration: {
          status: successful ? 'registered' : latest ? 'failed' : 'never',
          registered_at: successful ? successful.createdAt.toISOString() : null,
          registered_route_count: successful ? successful.routeCount : null,
          current_route_count: currentRoutes.length,
          last_error: latest?.status === 'failed' ? latest.error : null,
        },
        round_trip: { http_status: roundTripStatus, path: ROUND_TRIP_PATH },
        problems,
      },
    };
  }

  private roundTripProblem(trip: Attempt, publicUrl: string): IntegrationProblem | undefined {
    if (!('response' in trip)) {
      return { check: 'round_trip', problem: trip.unreachable.message, fix: 'Check the Brain API is up, then validate again.' };
    }
    const { status, body } = trip.response;
    if (status >= 200 && status < 300 && (body as { status?: unknown } | null)?.status === 'ok') return undefined;
    if (status === 404) {
      return {
        check: 'round_trip',
        problem: `The Brain API does not route GET ${ROUND_TRIP_PATH} (404).`,
        fix: 'POST /api/crew/brain/register-routes so the Brain knows the crew routes.',
      };
    }
    if (status === 401 || status === 403) {
      return {
        check: 'round_trip',
        problem: `GET ${ROUND_TRIP_PATH} through the Brain was refused with ${status}.`,
        fix: 'Check BRAIN_API_TOKEN is accepted by the Brain API, and that the Brain calls this service with a key from CREW_API_KEYS.',
      };
    }
    if (status === 502 || status === 503 || status === 504) {
      return {
        check: 'round_trip',
        problem: `The Brain API could not reach this service (${status}) at ${publicUrl}.`,
        fix: `Set CREW_PUBLIC_URL (now ${publicUrl}) to an address the Brain API can reach, then register again.`,
      };
    }
    return {
      check: 'round_trip',
      problem: `GET ${ROUND_TRIP_PATH} through the Brain answered ${status} without this service's health body.`,
      fix: `Check the Brain routes /api/brain/crew/* to ${publicUrl}/api/crew/* and register again.`,
    };
  }

  private async attempt(path: string): Promise<Attempt> {
    try {
      return { response: await this.brain.call(path, { retries: 0, timeoutMs: CHECK_TIMEOUT_MS }) };
    } catch (error) {
      if (error instanceof BrainUnreachableError) return { unreachable: error };
      throw error;
    }
  }
}

function reportsUnhealthy(body: unknown): boolean {
  const status = (body as { status?: unknown } | null)?.status;
  return typeof status === 'string' && UNHEALTHY.has(status.toLowerCase());
}
