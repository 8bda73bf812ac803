import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { principalOf } from '../auth/request-principal.js';
import type { FastifyRequest } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import type { CommandContext } from '../kernel/commands/command-context.js';

const MAX_ID_LENGTH = 200;
const ID_PATTERN = /^[A-Za-z0-9._:-]+$/;

/** What an HTTP request says about the command it carries, before a command id is settled. */
export interface RequestCommandMeta {
  readonly idempotencyKey: string | undefined;
  readonly correlationId: string | undefined;
  readonly causationId: string | undefined;
  readonly actor: string;
}

/** The headers a command reads, as OpenAPI documents them on every route that takes @CommandMeta() (and only there). */
export const COMMAND_HEADERS = ['Idempotency-Key', 'X-Correlation-Id', 'X-Causation-Id'] as const;
const COMMAND_HEADER_DESCRIPTIONS: Record<(typeof COMMAND_HEADERS)[number], string> = {
  'Idempotency-Key': "The command's id (default: its natural id, such as the payment id, else a new one): a repeat of the same command returns the first result and appends nothing; the same key on a different command is refused (409 COMMAND.ID_REUSED)",
  'X-Correlation-Id': 'Recorded on the events the command appends (default: the command id)',
  'X-Causation-Id': 'Recorded on the events the command appends as what caused them (default: the command id)',
};

/**
 * Reads `Idempotency-Key`, `X-Correlation-Id` and `X-Causation-Id`, and the authenticated
 * actor, from the request; and declares those headers in the route's OpenAPI operation.
 */
export const CommandMeta =
  (): ParameterDecorator =>
  (target, key, index): void => {
    readCommandMeta()(target, key, index);
    if (key === undefined) return;
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    if (!descriptor) return;
    for (const name of COMMAND_HEADERS) {
      ApiHeader({ name, required: false, description: COMMAND_HEADER_DESCRIPTIONS[name], schema: { type: 'string', pattern: ID_PATTERN.source, maxLength: MAX_ID_LENGTH } })(target, key, descriptor);
    }
  };

const readCommandMeta = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestCommandMeta => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  const principal = principalOf(request);
  // The access guard lets no command through without a key; reaching here without one is a wiring fault.
  if (!principal) throw new Error('A command route was reached without an authenticated principal');
  return {
    idempotencyKey: header(request, 'idempotency-key'),
    correlationId: header(request, 'x-correlation-id'),
    causationId: header(request, 'x-causation-id'),
    actor: principal.name,
  };
});

/**
 * The command id is the `Idempotency-Key` when given, else the command's natural id (a
 * payment id, say) when it has one, else a fresh UUIDv7 (every such request is new).
 */
export function commandContext(meta: RequestCommandMeta, naturalId?: string): CommandContext {
  const commandId = meta.idempotencyKey ?? naturalId ?? uuidv7();
  return {
    commandId,
    correlationId: meta.correlationId ?? commandId,
    causationId: meta.causationId ?? commandId,
    actor: meta.actor,
  };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > MAX_ID_LENGTH || !ID_PATTERN.test(value)) {
    throw new BadRequestException({
      code: 'REQUEST.INVALID',
      message: `Header ${name} must be 1-${MAX_ID_LENGTH} characters of A-Z a-z 0-9 . _ : -`,
      errors: [{ field: name, messages: ['invalid header value'] }],
    });
  }
  return value;
}
