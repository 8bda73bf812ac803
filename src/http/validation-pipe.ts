import { type ArgumentMetadata, BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import type { ErrorBody, FieldError } from '../kernel/errors/error-body.js';
import { stageTimer } from './stage-timing.js';

/**
 * Far deeper than any request (a DTO nests one object), far shallower than the few thousand
 * levels at which class-transformer, recursing once per level, overflows the call stack.
 */
const MAX_DEPTH = 32;

/**
 * Keys Nest (stripProtoKeys) and class-transformer drop without a word, as they name members
 * of Object.prototype (`constructor`, `toString`, `__proto__`…) or `prototype`: refused here
 * like any other unknown field instead of the request succeeding without them.
 */
const SILENTLY_DROPPED_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** Validates every DTO with class-validator; unknown fields are refused, not silently dropped. */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => invalidRequest(flatten(errors)),
  });
}

/** How many arguments are being validated right now, and since when (profiling only). */
const validating = { count: 0, since: 0 };

class StrictValidationPipe extends ValidationPipe {
  /**
   * Per class of query DTO, an empty query as validated and transformed once, when it was
   * valid: most reads send no query string, and an empty object validates the same every
   * time (only absent optional fields), so it is not run through class-transformer and
   * class-validator again. Each request gets a copy of its own.
   */
  private readonly emptyQueries = new WeakMap<object, object | null>();
  /**
   * Per class of route-parameter DTO, the parameters already found valid, by their values:
   * a route's parameters are a few strings checked by pure rules (a client id's format), so
   * the same loan id validates the same every time, and a dashboard asks about the same loans
   * over and over. Running class-transformer and class-validator on them was ~7% of an
   * overdue-status read's CPU. Invalid ones are not kept: they are validated again, to say why.
   */
  private readonly validParams = new WeakMap<object, Map<string, object>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (!stageTimer.enabled) return this.check(value, metadata);
    // Nest validates a handler's arguments concurrently: the stage is the span while any is in progress.
    if (validating.count++ === 0) validating.since = stageTimer.now();
    try {
      return await this.check(value, metadata);
    } finally {
      if (--validating.count === 0) stageTimer.add('validation', validating.since);
    }
  }

  private async check(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (!this.toValidate(metadata)) return super.transform(value, metadata);
    if (metadata.type === 'query' && metadata.metatype && isEmptyPlainObject(value)) {
      const empty = await this.emptyQuery(metadata);
      if (empty) return Object.assign(Object.create(Object.getPrototypeOf(empty) as object) as object, empty);
    }
    const paramsKey = metadata.type === 'param' && metadata.metatype ? keyOfStringParams(value) : undefined;
    if (paramsKey !== undefined) {
      const known = this.validParams.get(metadata.metatype!)?.get(paramsKey);
      if (known) return copyOf(known);
    }
    const problems = shapeProblems(value);
    if (problems.length > 0) throw invalidRequest(problems);
    const transformed: unknown = await super.transform(value, metadata);
    if (paramsKey !== undefined && holdsPrimitivesOnly(transformed)) this.keepValidParams(metadata.metatype!, paramsKey, transformed);
    return transformed;
  }

  private keepValidParams(metatype: object, key: string, params: object): void {
    let kept = this.validParams.get(metatype);
    if (!kept) this.validParams.set(metatype, (kept = new Map()));
    else if (kept.size >= VALID_PARAMS_KEPT) kept.delete(kept.keys().next().value!);
    kept.set(key, params);
  }

  /** The DTO an empty query becomes, or null when an empty query is not valid for it (then validated each time, to say why). */
  private async emptyQuery(metadata: ArgumentMetadata): Promise<object | null> {
    const metatype = metadata.metatype!;
    const known = this.emptyQueries.get(metatype);
    if (known !== undefined) return known;
    let empty: object | null = null;
    try {
      const transformed: unknown = await super.transform({}, metadata);
      if (typeof transformed === 'object' && transformed !== null) empty = transformed;
    } catch {
      // Not valid empty: validated in full on every request.
    }
    this.emptyQueries.set(metatype, empty);
    return empty;
  }
}

/** Route parameters whose validity is kept, per DTO class: the loans a busy dashboard reads, a few MB at most. */
const VALID_PARAMS_KEPT = 20_000;

/** Each request gets an instance of its own, as class-transformer would have made it. */
function copyOf(params: object): object {
  return Object.assign(Object.create(Object.getPrototypeOf(params) as object) as object, params);
}

/** Names and values of route parameters that are all strings, as one key; undefined for anything else. */
function keyOfStringParams(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  let key = '';
  for (const name in value) {
    const param = (value as Record<string, unknown>)[name];
    if (typeof param !== 'string') return undefined;
    // No valid id holds a NUL, so a value with one (never kept) cannot pass for another set of parameters.
    key += `${name}\u0000${param}\u0000`;
  }
  return key;
}

function holdsPrimitivesOnly(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  for (const field of Object.values(value)) if (typeof field === 'object' && field !== null) return false;
  return true;
}

function isEmptyPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const _key in value) return false;
  return Object.getOwnPropertySymbols(value).length === 0;
}

function invalidRequest(fieldErrors: FieldError[]): BadRequestException {
  const body: ErrorBody = {
    code: 'REQUEST.INVALID',
    message: `Invalid request: ${fieldErrors.map((e) => e.field).join(', ')}`,
    errors: fieldErrors,
  };
  return new BadRequestException(body);
}

/** Walked with a stack of its own, as a value too deep for class-transformer is too deep for recursion here. */
function shapeProblems(value: unknown): FieldError[] {
  const problems: FieldError[] = [];
  const pending: [node: unknown, field: string, depth: number][] = [[value, '', 0]];
  while (pending.length > 0) {
    const [node, field, depth] = pending.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth === MAX_DEPTH) {
      problems.push({ field, messages: [`${field} nests deeper than ${MAX_DEPTH} levels`] });
      continue;
    }
    for (const key of Object.keys(node)) {
      const path = field ? `${field}.${key}` : key;
      if (SILENTLY_DROPPED_KEYS.has(key)) problems.push({ field: path, messages: [`property ${key} should not exist`] });
      else pending.push([(node as Record<string, unknown>)[key], path, depth + 1]);
    }
  }
  return problems;
}

function flatten(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    // A field left out breaks every rule it has (a string, a length, a format): one message says so.
    const messages = error.value === undefined ? [`${field} is required`] : Object.values(error.constraints ?? {});
    const own: FieldError[] = error.constraints ? [{ field, messages }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
