import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GatewayRoute {
  path: string;
  method: string;
  description: string;
  crew_system_endpoint: string;
  domain: string;
}

export interface GatewayRegistration {
  routes: GatewayRoute[];
  crew_system_url: string;
  registration_timestamp: string;
}

export interface GatewayRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface BrainGatewayOptions {
  /** The bearer token the crew service must send (BRAIN_API_TOKEN); unset: no check. */
  token?: string;
  /** The API key the gateway presents to the crew service when it forwards a request. */
  serviceKey?: string;
}

const HANDLE_REQUEST_FIELDS = [
  'tenant_id',
  'user_id',
  'session_id',
  'description',
  'domain',
  'data_volume',
  'requires_ai',
  'multi_domain',
  'priority',
  'timeout',
] as const;

function templateMatcher(template: string): RegExp {
  const pattern = template
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${pattern}$`);
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * A loopback stand-in for the Brain API gateway: health, route registration (recorded), tenant data,
 * completion notices (recorded), and `/api/brain/crew/*` routed to the crew service like the real
 * gateway — registered routes are proxied to `crew_system_url`, other POSTs go through
 * `/api/crew/brain/handle-request` with the route path.
 */
export class BrainGateway {
  readonly requests: GatewayRequest[] = [];
  readonly registrations: { body: GatewayRegistration; headers: IncomingHttpHeaders }[] = [];
  readonly notices: Record<string, unknown>[] = [];
  /** GET /api/brain/tenants/{id}/data answers these bodies; unknown tenants are 404. */
  readonly tenants = new Map<string, unknown>();
  healthy = true;
  /** Status the registration endpoint answers (2xx: accepted and stored). */
  registrationStatus = 200;
  private server?: Server;

  constructor(private readonly options: BrainGatewayOptions = {}) {}

  get routes(): GatewayRoute[] {
    return this.registrations.at(-1)?.body.routes ?? [];
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
        this.handle(request, body, response).catch((error: unknown) => json(response, 500, { error: String(error) }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  private async handle(request: IncomingMessage, body: string, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://gateway');
    const method = request.method ?? 'GET';
    if (url.pathname.startsWith('/api/brain/crew/') || url.pathname === '/api/brain/crew') {
      await this.route(method, url, request.headers, body, response);
      return;
    }
    if (this.options.token && request.headers.authorization !== `Bearer ${this.options.token}`) {
      json(response, 401, { detail: 'missing or wrong bearer token' });
      return;
    }
    if (method === 'GET' && url.pathname === '/api/brain/health') {
      json(response, this.healthy ? 200 : 503, { status: this.healthy ? 'healthy' : 'unhealthy' });
      return;
    }
    if (method === 'POST' && url.pathname === '/api/brain/admin/register-crew-routes') {
      const registration = JSON.parse(body) as GatewayRegistration;
      if (this.registrationStatus < 300) this.registrations.push({ body: registration, headers: request.headers });
      json(response, this.registrationStatus, { status: 'registered', routes_registered: registration.routes.length });
      return;
    }
    if (method === 'POST' && url.pathname === '/api/brain/notifications/crew-task-completed') {
      this.notices.push(JSON.parse(body) as Record<string, unknown>);
      json(response, 202, { received: true });
      return;
    }
    const tenant = /^\/api\/brain\/tenants\/([^/]+)\/data$/.exec(url.pathname);
    if (method === 'GET' && tenant) {
      const id = decodeURIComponent(tenant[1]);
      if (this.tenants.has(id)) json(response, 200, this.tenants.get(id));
      else json(response, 404, { detail: `unknown tenant ${id}` });
      return;
    }
    json(response, 404, { detail: `no gateway route ${method} ${url.pathname}` });
  }

  /** `/api/brain/crew/<rest>`: a registered route is proxied as is; any other POST goes through handle-request. */
  private async route(method: string, url: URL, headers: IncomingHttpHeaders, body: string, response: ServerResponse): Promise<void> {
    const crewUrl = this.registrations.at(-1)?.body.crew_system_url;
    if (!crewUrl) {
      json(response, 404, { detail: 'no crew routes registered' });
      return;
    }
    const rest = url.pathname.slice('/api/brain/crew'.length);
    const route = this.routes.find((candidate) => candidate.method === method && templateMatcher(candidate.path).test(url.pathname));
    const forwardHeaders: Record<string, string> = { 'content-type': 'application/json' };
    for (const name of ['x-tenant-id', 'x-request-id', 'idempotency-key', 'authorization', 'x-api-key']) {
      const value = headers[name];
      if (typeof value === 'string') forwardHeaders[name] = value;
    }
    if (this.options.serviceKey) {
      delete forwardHeaders['x-api-key'];
      forwardHeaders.authorization = `Bearer ${this.options.serviceKey}`;
    }
    let target: string;
    let forwardBody: string | undefined = body === '' ? undefined : body;
    if (route) {
      target = `${crewUrl}/api/crew${rest}${url.search}`;
    } else if (method === 'POST') {
      const parsed = (body === '' ? {} : JSON.parse(body)) as Record<string, unknown>;
      const envelope: Record<string, unknown> = { route_path: rest.replace(/^\//, ''), request_id: randomUUID() };
      const parameters: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(parsed)) {
        if ((HANDLE_REQUEST_FIELDS as readonly string[]).includes(key)) envelope[key] = value;
        else if (key !== 'parameters') parameters[key] = value;
      }
      envelope.parameters = parsed.parameters ?? parameters;
      target = `${crewUrl}/api/crew/brain/handle-request`;
      forwardBody = JSON.stringify(envelope);
    } else {
      json(response, 404, { detail: `route ${method} ${url.pathname} is not registered` });
      return;
    }
    let answer: Response;
    try {
      answer = await fetch(target, { method, headers: forwardHeaders, body: forwardBody });
    } catch {
      json(response, 502, { detail: `crew system at ${crewUrl} is unreachable` });
      return;
    }
    const outHeaders: Record<string, string> = { 'content-type': answer.headers.get('content-type') ?? 'application/json' };
    for (const name of ['retry-after', 'x-request-id', 'location']) {
      const value = answer.headers.get(name);
      if (value !== null) outHeaders[name] = value;
    }
    response.writeHead(answer.status, outHeaders).end(Buffer.from(await answer.arrayBuffer()));
  }
}
