import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule, getSchemaPath } from '@nestjs/swagger';
import { PUBLIC_METADATA, ROLES_METADATA, TIME_TRAVEL_ROLES_METADATA } from '../../auth/access.decorators.js';
import type { Role } from '../../auth/roles.js';
import { controllerRoutes, reflectorOf } from '../../auth/controller-routes.js';
import { COMMAND_HEADERS } from '../../http/command-context.decorator.js';
import { ErrorBodyDto } from '../../http/error-body.dto.js';
import { ERROR_CATALOGUE, type ErrorCode } from './error-catalogue.js';
import { OPERATIONS, type RequestExample } from './operations.js';

// @nestjs/swagger exports the document's type, not its parts'.
type OperationObject = NonNullable<OpenAPIObject['paths'][string]['get']>;
type ParameterOrReference = NonNullable<OperationObject['parameters']>[number];
type ResponseObject = Exclude<OperationObject['responses'][string], { $ref: string }>;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Who may use a route, read from the same metadata the access guard reads. */
interface RouteAccess {
  readonly isPublic: boolean;
  readonly roles: readonly Role[];
  readonly timeTravelRoles: readonly Role[] | undefined;
}

/**
 * The OpenAPI 3.1 document of the application (issue 25): Swagger's scan of the controllers
 * and DTOs, then, for every operation, its id, summary and description from operations.ts,
 * its roles from the @Roles metadata (`x-roles`, and in the description), and every error
 * response it can give, each `ErrorBodyDto`, with the codes it can carry from the catalogue.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Arrears')
    .setDescription(
      'Event-sourced loan servicing: commands, projections and audit views. Every error is an `ErrorBody` whose `code` a client may branch on ' +
        '(the catalogue is in the README). Commands take an optional `Idempotency-Key`: a repeat returns the first result and appends nothing.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key (opaque, not a JWT): `Authorization: Bearer <key>`; its roles decide which routes it may use' }, 'bearer')
    .addSecurityRequirements('bearer')
    .build();
  const routeOf = new Map<string, string>();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ErrorBodyDto],
    operationIdFactory: (controllerKey, methodKey) => {
      const route = `${controllerKey}.${methodKey}`;
      const operationId = OPERATIONS[route]?.operationId ?? `${controllerKey}_${methodKey}`;
      routeOf.set(operationId, route);
      return operationId;
    },
  });
  document.servers = [{ url: '/', description: 'This engine' }];
  const bearer = document.components?.securitySchemes?.['bearer'];
  if (bearer && !('$ref' in bearer)) delete bearer.bearerFormat;

  const access = routeAccess(app);
  for (const pathItem of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (!operation?.operationId) continue;
      const route = routeOf.get(operation.operationId);
      const doc = route === undefined ? undefined : OPERATIONS[route];
      if (doc) {
        operation.summary = doc.summary;
        operation.description = doc.description;
        if (doc.examples) addExamples(operation, doc.examples);
      }
      const routeAccess = route === undefined ? undefined : access.get(route);
      describeAccess(operation, routeAccess);
      describeErrors(operation, doc?.errors ?? [], routeAccess?.isPublic === true);
    }
  }
  return document;
}

/** The routes (`Controller.method`) whose docs are missing from operations.ts: a test keeps this empty. */
export function undocumentedRoutes(app: INestApplication): string[] {
  return [...routeAccess(app).keys()].filter((route) => OPERATIONS[route] === undefined);
}

function routeAccess(app: INestApplication): Map<string, RouteAccess> {
  const reflector = reflectorOf(app);
  const routes = new Map<string, RouteAccess>();
  for (const { controller, method, targets } of controllerRoutes(app)) {
    routes.set(`${controller}.${method}`, {
      isPublic: reflector.getAllAndOverride<boolean | undefined>(PUBLIC_METADATA, targets) === true,
      roles: reflector.getAllAndOverride<Role[] | undefined>(ROLES_METADATA, targets) ?? [],
      timeTravelRoles: reflector.getAllAndOverride<Role[] | undefined>(TIME_TRAVEL_ROLES_METADATA, targets),
    });
  }
  return routes;
}

function describeAccess(operation: OperationObject, access: RouteAccess | undefined): void {
  const extensions = operation as unknown as Record<`x-${string}`, unknown>;
  if (!access) return;
  const lines: string[] = [];
  if (access.isPublic) {
    operation.security = [];
    lines.push('**Roles:** none, no key needed.');
  } else {
    extensions['x-roles'] = [...access.roles];
    lines.push(access.roles.length > 0 ? `**Roles:** ${access.roles.join(', ')} (any one).` : '**Roles:** none: no key may use this route.');
    if (access.timeTravelRoles) {
      extensions['x-time-travel-roles'] = [...access.timeTravelRoles];
      lines.push(`Asking about the past (\`asOf\`, \`knownAt\`) needs: ${access.timeTravelRoles.join(', ')}.`);
    }
  }
  operation.description = [operation.description, lines.join(' ')].filter(Boolean).join('\n\n');
}

function describeErrors(operation: OperationObject, own: readonly ErrorCode[], isPublic: boolean): void {
  const parameters: ParameterOrReference[] = operation.parameters ?? [];
  const isCommand = parameters.some((p) => 'name' in p && p.in === 'header' && p.name === COMMAND_HEADERS[0]);
  const codes = new Set<ErrorCode>();
  if (parameters.length > 0 || operation.requestBody) codes.add('REQUEST.INVALID');
  for (const code of own) codes.add(code);
  if (isCommand) for (const code of ['COMMAND.ID_REUSED', 'STREAM.BUSY', 'BUSINESS_DATE.IN_FUTURE'] as const) codes.add(code);
  if (operation.requestBody) for (const code of ['REQUEST.TOO_LARGE', 'REQUEST.UNSUPPORTED_MEDIA_TYPE'] as const) codes.add(code);
  if (!isPublic) for (const code of ['AUTH.UNAUTHENTICATED', 'AUTH.FORBIDDEN', 'REQUEST.RATE_LIMITED'] as const) codes.add(code);

  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ERROR_CATALOGUE[code].status;
    if (status === null) throw new Error(`${code} is not an HTTP error`);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  // The controllers' own error decorators said less: the catalogue's word replaces theirs.
  const responses = Object.fromEntries(Object.entries(operation.responses ?? {}).filter(([status]) => !/^[45]\d\d$/.test(status)));
  for (const status of [...byStatus.keys()].sort()) {
    const statusCodes = byStatus.get(status) ?? [];
    const response: ResponseObject = {
      description: statusCodes.map((code) => `\`${code}\`: ${ERROR_CATALOGUE[code].meaning}`).join('\n\n'),
      content: {
        'application/json': {
          schema: { $ref: getSchemaPath(ErrorBodyDto) },
          examples: Object.fromEntries(statusCodes.map((code) => [code, { summary: ERROR_CATALOGUE[code].meaning, value: { code, message: ERROR_CATALOGUE[code].meaning.replaceAll('`', '') } }])),
        },
      },
    };
    responses[String(status)] = response;
  }
  operation.responses = responses;
}

/** Each named request: its body in the request body's `examples`, its parameters in theirs (under the same name). */
function addExamples(operation: OperationObject, examples: Readonly<Record<string, RequestExample>>): void {
  for (const parameter of operation.parameters ?? []) {
    if ('$ref' in parameter) continue;
    const named = Object.entries(examples).filter(([, example]) => example.params?.[parameter.name] !== undefined);
    if (named.length > 0) parameter.examples = Object.fromEntries(named.map(([name, example]) => [name, { summary: example.summary, value: example.params?.[parameter.name] }]));
  }
  const body = operation.requestBody;
  const json = body && !('$ref' in body) ? body.content['application/json'] : undefined;
  if (!json) return;
  json.examples = Object.fromEntries(
    Object.entries(examples)
      .filter(([, example]) => example.body !== undefined)
      .map(([name, example]) => [name, { summary: example.summary, value: example.body }]),
  );
}
