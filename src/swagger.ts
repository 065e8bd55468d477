import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, getSchemaPath, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ProblemDto } from './common/api-problem-responses.js';
import { API_KEY_SCHEME, BEARER_SCHEME, finishDocument } from './openapi/finish-document.js';
import { routeFacts } from './openapi/route-facts.js';

const KEY_DESCRIPTION =
  'An API key from CREW_API_KEYS (key:tenant or key:* for a service key; an opaque string, not a JWT). Send it as a bearer token or in X-API-Key: either one is enough.';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('AI Crew System')
    .setDescription(
      'Takes business tasks over REST and runs each the cheapest way that does it well: a direct database query, a direct API call, ' +
        'one agent, several agents, or a full crew. Wire format is snake_case; every error is application/problem+json (RFC 9457).',
    )
    .setVersion('0.1.0')
    .addTag('tasks', 'Submit, poll, list and cancel tasks')
    .addTag('system', 'Catalogue and service information')
    .addTag('health', 'Terminus probes')
    .addTag('monitoring', 'Status, statistics, performance, alerts, optimizer (service key)')
    .addTag('brain', 'Brain API gateway integration (service key)')
    .addTag('crm', 'CRM operations')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: KEY_DESCRIPTION }, BEARER_SCHEME)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: KEY_DESCRIPTION }, API_KEY_SCHEME)
    // Any route can fail unexpectedly; the answer is problem+json without internals.
    .addGlobalResponse({
      status: 500,
      description: 'Unexpected error; quote request_id when reporting it.',
      content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
    })
    .build();
  return finishDocument(SwaggerModule.createDocument(app, config, { extraModels: [ProblemDto] }), routeFacts(app));
}

/** Swagger UI at /api/crew/docs, the OpenAPI JSON at /api/crew/docs-json. */
export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('api/crew/docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/crew/docs-json',
    yamlDocumentUrl: 'api/crew/docs-yaml',
    customSiteTitle: 'AI Crew System API',
  });
}
