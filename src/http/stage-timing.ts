import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryId, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { performance } from 'node:perf_hooks';
import { type Observable, tap } from 'rxjs';
import { NO_STAGE_TIMER, type StageTimer } from '../kernel/stage-timer.js';

/**
 * Where a request's time goes, in process (issue 23). With ARREARS_PROFILE_STAGES=1 the
 * engine adds up, per stage, the wall time its requests spent there, and answers the totals
 * at GET /debug/stage-timings (mounted only then); bench:http with BENCH_PROFILE=1 reads
 * them before and after each scenario and prints µs per request. Off (the default) nothing
 * below is installed, and the command pipeline and readers get NO_STAGE_TIMER.
 *
 * The stages of a request, in order:
 *   auth           Fastify's onRequest hooks: the key, the rate limit, the refusal of keyless requests
 *   body           reading and parsing the body (onRequest done → preValidation)
 *   route+guards   Nest's routing and guards (preHandler → the global interceptor)
 *   handler        the controller, its pipes and what it calls (interceptor → its result), of which:
 *     validation     the validation pipe (class-transformer and class-validator), per argument
 *     load, decide, append, answer   the command pipeline's steps (run-command.ts)
 *     read           read-model queries (Kysely, from compiling to rows)
 *   serialise      the result to JSON (the interceptor's result → onSend)
 *   write          onSend → onResponse
 *   total          the first onRequest hook → onResponse
 * Times are wall time: a stage that awaits (append, read) includes what other requests ran meanwhile.
 */
export const PROFILE_STAGES_ENV = 'ARREARS_PROFILE_STAGES';
export const STAGE_TIMINGS_ROUTE = '/debug/stage-timings';

/** A stage's total so far: milliseconds and how many times it was timed. */
export interface StageTotal {
  readonly ms: number;
  readonly count: number;
}

/** What GET /debug/stage-timings answers. */
export interface StageTimings {
  /** Requests answered (the debug route aside). */
  readonly requests: number;
  /** The process's CPU time so far (user + system, every thread: the projection worker's too), in µs. */
  readonly cpuMicros: number;
  readonly stages: Readonly<Record<string, StageTotal>>;
}

class AccumulatingStageTimer implements StageTimer {
  readonly enabled = true;
  private readonly totals = new Map<string, { ms: number; count: number }>();
  requests = 0;

  now(): number {
    return performance.now();
  }

  add(stage: string, since: number): void {
    this.addMs(stage, performance.now() - since);
  }

  addMs(stage: string, ms: number): void {
    const total = this.totals.get(stage);
    if (total) {
      total.ms += ms;
      total.count++;
    } else this.totals.set(stage, { ms, count: 1 });
  }

  snapshot(): StageTimings {
    const cpu = process.cpuUsage();
    return { requests: this.requests, cpuMicros: cpu.user + cpu.system, stages: Object.fromEntries([...this.totals].map(([stage, total]) => [stage, { ...total }])) };
  }
}

const accumulating = process.env[PROFILE_STAGES_ENV] === '1' ? new AccumulatingStageTimer() : undefined;

/** The process's stage timer: accumulating with ARREARS_PROFILE_STAGES=1, else NO_STAGE_TIMER. */
export const stageTimer: StageTimer = accumulating ?? NO_STAGE_TIMER;

/** The moments of one request, kept on it while profiling. */
interface Marks {
  start: number;
  afterOnRequest: number;
  preValidation: number;
  preHandler: number;
  handled: number;
  sent: number;
}

const MARKS = Symbol('stage-timing marks');
type Marked = FastifyRequest & { [MARKS]?: Marks };

/**
 * Installs the timing hooks: the first onRequest hook (call this before any other hook is
 * added), a last one on every route (call `markEndOfOnRequest` after the others are added),
 * and preValidation, preHandler, onSend and onResponse. Nothing when profiling is off.
 */
export function timeRequestStages(fastify: FastifyInstance): void {
  const timer = accumulating;
  if (!timer) return;
  fastify.addHook('onRequest', (request: Marked, _reply, done) => {
    if (request.url !== STAGE_TIMINGS_ROUTE) {
      const now = performance.now();
      request[MARKS] = { start: now, afterOnRequest: now, preValidation: now, preHandler: now, handled: now, sent: now };
    }
    done();
  });
  fastify.addHook('preValidation', (request: Marked, _reply, done) => {
    const marks = request[MARKS];
    if (marks) {
      marks.preValidation = performance.now();
      timer.addMs('body', marks.preValidation - marks.afterOnRequest);
    }
    done();
  });
  fastify.addHook('preHandler', (request: Marked, _reply, done) => {
    const marks = request[MARKS];
    if (marks) marks.preHandler = performance.now();
    done();
  });
  fastify.addHook('onSend', (request: Marked, _reply, payload, done) => {
    const marks = request[MARKS];
    if (marks) {
      marks.sent = performance.now();
      // A request answered before its handler (refused in onRequest) has nothing to serialise of ours.
      if (marks.handled > marks.preHandler) timer.addMs('serialise', marks.sent - marks.handled);
    }
    done(null, payload);
  });
  fastify.addHook('onResponse', (request: Marked, _reply, done) => {
    const marks = request[MARKS];
    if (marks) {
      const now = performance.now();
      timer.addMs('write', now - marks.sent);
      timer.addMs('total', now - marks.start);
      timer.requests++;
    }
    done();
  });
  fastify.get(STAGE_TIMINGS_ROUTE, async () => timer.snapshot());
}

/** The last onRequest hook of every route added from now on: closes the `auth` stage. */
export function markEndOfOnRequest(fastify: FastifyInstance): void {
  const timer = accumulating;
  if (!timer) return;
  const mark: onRequestHookHandler = (request: Marked, _reply, done) => {
    const marks = request[MARKS];
    if (marks) {
      marks.afterOnRequest = performance.now();
      timer.addMs('auth', marks.afterOnRequest - marks.start);
    }
    done();
  };
  fastify.addHook('onRoute', (route) => {
    const hooks = route.onRequest;
    route.onRequest = hooks === undefined ? [mark] : [...(Array.isArray(hooks) ? hooks : [hooks]), mark];
  });
}

/** Nest's side: from the end of routing and guards (interceptors run after guards) to the handler's result. */
export class StageTimingInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const timer = accumulating;
    const marks = context.getType() === 'http' ? context.switchToHttp().getRequest<Marked>()[MARKS] : undefined;
    if (!timer || !marks) return next.handle();
    const entered = performance.now();
    timer.addMs('route+guards', entered - marks.preHandler);
    return next.handle().pipe(
      tap(() => {
        marks.handled = performance.now();
        timer.addMs('handler', marks.handled - entered);
      }),
    );
  }
}

/** Whether profiling is on (the interceptor and the validation pipe's timing are installed only then). */
export const profilingStages = accumulating !== undefined;

/** Times every read-model query (Kysely: from compiling the query to its rows) as `read`. */
export class ReadTimingPlugin implements KyselyPlugin {
  private readonly started = new WeakMap<QueryId, number>();

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    this.started.set(queryId, performance.now());
    return node;
  }

  async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const since = this.started.get(queryId);
    if (since !== undefined && accumulating) accumulating.addMs('read', performance.now() - since);
    return result;
  }
}
