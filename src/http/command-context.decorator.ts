import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import type { CommandContext } from '../kernel/commands/command-context.js';

const MAX_ID_LENGTH = 200;
const ID_PATTERN = /^[A-Za-z0-9._:-]+$/;

/**
 * The command context of an HTTP request: the command id from the `Idempotency-Key` header
 * (a fresh UUIDv7 when absent, so a retry without one is a new command), correlation and
 * causation ids from `X-Correlation-Id` / `X-Causation-Id`, and the authenticated actor.
 */
export const CommandMeta = createParamDecorator((_: unknown, ctx: ExecutionContext): CommandContext => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest & { principal?: string }>();
  const commandId = header(request, 'idempotency-key') ?? uuidv7();
  return {
    commandId,
    correlationId: header(request, 'x-correlation-id') ?? commandId,
    causationId: header(request, 'x-causation-id') ?? commandId,
    actor: request.principal ?? 'anonymous',
  };
});

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
