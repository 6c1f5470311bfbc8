import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, getSchemaPath, type OpenAPIObject } from '@nestjs/swagger';
import { ROLES, type Role } from '../workflows/kit';
import { ErrorCode, statusOf } from './common/domain-error';
import { ErrorView } from './common/error-view';
import { documentValidatedClasses } from './common/validation-schema';
import { DOC_PUBLIC, DOC_ROLES, SESSION_COOKIE } from './identity/auth.guard';

// The OpenAPI document at /openapi.json and /docs. Bodies and queries are documented from their
// validation (src/common/validation-schema.ts), responses from the view classes the routes return;
// this file adds what every operation shares: who may call it, how to authenticate, and the
// refusals, which all have one shape.

const ROLE_WORDS: Record<Role, string> = {
  manager: 'programme managers',
  committee: 'committee members',
  finance: 'finance officers',
  applicant: 'members of initiative groups',
};

type Operation = {
  description?: string;
  parameters?: { name?: string; in?: string; $ref?: string; schema?: { type?: string } }[];
  responses: Record<string, unknown>;
  security?: Record<string, string[]>[];
  [extension: `x-${string}`]: unknown;
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Each code a refusal may carry, grouped by its HTTP status: the text of the shared responses. */
function codesByStatus(): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of Object.values(ErrorCode)) {
    const status = statusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

const refusal = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorView) } } },
});

/** `Refused` (4XX) and `Failed` (5XX): one response each, listing the codes of that class. */
function sharedResponses(): Record<string, unknown> {
  const lines = (from: number, to: number) =>
    [...codesByStatus()]
      .filter(([status]) => status >= from && status < to)
      .map(([status, codes]) => `${status}: ${codes.join(', ')}`)
      .join('; ');
  return {
    Refused: refusal(
      `Refused, with the reason in \`error.message\` in the reader's language and its keys in \`error.details\`. ${lines(400, 500)}.`,
    ),
    Failed: refusal(`The service could not answer. ${lines(500, 600)}.`),
  };
}

/** Adds the shared parts to every operation of a document @nestjs/swagger has built. */
export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  document.components = {
    ...document.components,
    responses: { ...document.components?.responses, ...(sharedResponses() as Record<string, never>) },
    parameters: {
      ...document.components?.parameters,
      IfMatch: {
        name: 'If-Match',
        in: 'header',
        required: false,
        description:
          'Optional: the `version` read with GET. When given and the record has changed since, the event is refused with 409 LOCK_CONFLICT and nothing is written.',
        schema: { type: 'string', example: '"3"' },
      },
    },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as Operation | undefined;
      if (!operation) continue;
      const isPublic = operation[DOC_PUBLIC] === true;
      const roles = operation[DOC_ROLES] as Role[] | undefined;
      delete operation[DOC_PUBLIC];
      delete operation[DOC_ROLES];
      if (isPublic) operation.security = [];
      else {
        operation.security = [{ bearer: [] }, { session: [] }];
        const who = roles ?? ROLES;
        const sentence = `Who may call it: ${who.map((r) => ROLE_WORDS[r]).join(', ')}.`;
        operation.description = operation.description ? `${operation.description}\n\n${sentence}` : sentence;
      }
      // A list in a query is sent comma-separated: ?state=submitted,more_info
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'query' && parameter.schema?.type === 'array')
          Object.assign(parameter, { style: 'form', explode: false });
      }
      // The header a handler reads is listed once: the If-Match of the shared parameters.
      operation.parameters = operation.parameters?.filter(
        (p) => p.in !== 'header' || p.name?.toLowerCase() !== 'if-match',
      );
      if (item[method] && method === 'post' && /\/events$/.test(pathOf(document, item))) {
        operation.parameters = [...(operation.parameters ?? []), { $ref: '#/components/parameters/IfMatch' }];
      }
      operation.responses = {
        ...operation.responses,
        '4XX': { $ref: '#/components/responses/Refused' },
        '5XX': { $ref: '#/components/responses/Failed' },
      };
    }
  }
  return document;
}

function pathOf(document: OpenAPIObject, item: object): string {
  return Object.entries(document.paths).find(([, candidate]) => candidate === item)?.[0] ?? '';
}

/** The document of a built application, its validated classes documented first. */
export function buildDocument(app: INestApplication): OpenAPIObject {
  documentValidatedClasses();
  const config = new DocumentBuilder()
    .setTitle('Grant workflow engine')
    .setDescription(
      [
        'Community mini-grant programmes: calls, applications, review, awards, disbursements and reports.',
        '',
        'Each record with a workflow (call, application, review, tranche, report) is read with GET and changed by POST /{resource}/{id}/events with one event; the answer names the new state, the version, and the events the caller may send next. Refusals have one shape, `{ error: { code, message, details }, correlationId }`, worded in the reader’s language (their own choice, else Accept-Language: ky, ru or en).',
      ].join('\n'),
    )
    .setVersion('0.1.0')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'opaque',
        description:
          'An opaque random token, not a JWT: the API token `npm run cli -- user:create` prints, or the session token POST /auth/session answers with. Send it as `Authorization: Bearer <token>`.',
      },
      'bearer',
    )
    .addCookieAuth(
      SESSION_COOKIE,
      {
        type: 'apiKey',
        in: 'cookie',
        description: 'The signed, HTTP-only session cookie a browser is given at sign-in.',
      },
      'session',
    )
    .build();
  return completeDocument(SwaggerModule.createDocument(app, config, { extraModels: [ErrorView] }));
}
