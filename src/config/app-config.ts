import 'reflect-metadata'; // implicit conversion reads the design types of the settings
import { Transform, plainToInstance } from 'class-transformer';
import { CONDUCT_POLICY_PRESETS, type ConductPolicyPreset } from '../policies/conduct-policy.js';
import { parseConductPolicyOverrides } from '../policies/conduct-policy-overrides.js';
import { LENDING_POLICY_PRESETS, type LendingPolicyPreset } from '../policies/lending-policy.js';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsString,
  Matches,
  Max,
  Min,
  Validate,
  ValidateIf,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
  validateSync,
} from 'class-validator';
import { isTimeZone } from '../kernel/dates/time-zone.js';
import { isIP } from 'node:net';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const SYNCHRONOUS = ['OFF', 'NORMAL', 'FULL'] as const;

@ValidatorConstraint({ name: 'isTimeZone' })
class IsTimeZoneConstraint implements ValidatorConstraintInterface {
  validate = (value: unknown) => typeof value === 'string' && isTimeZone(value);
  defaultMessage = () => 'COB_TIME_ZONE must be an IANA time zone such as Asia/Shanghai';
}

@ValidatorConstraint({ name: 'isInstant' })
class IsInstantConstraint implements ValidatorConstraintInterface {
  validate = (value: unknown) => typeof value === 'string' && /(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value));
  defaultMessage = () => 'CLOCK_FROZEN_AT must be an ISO 8601 instant with an offset, such as 2026-12-05T10:00:00+08:00';
}

@ValidatorConstraint({ name: 'conductOverrides' })
class ConductOverridesConstraint implements ValidatorConstraintInterface {
  validate = (value: unknown) => typeof value === 'string' && !Array.isArray(parseConductPolicyOverrides(value));
  defaultMessage = ({ value }: ValidationArguments) => {
    const problems = typeof value === 'string' ? parseConductPolicyOverrides(value) : ['must be a JSON string'];
    return `CONDUCT_POLICY_OVERRIDES ${Array.isArray(problems) ? problems.join('; ') : ''}`;
  };
}

@ValidatorConstraint({ name: 'trustProxy' })
class TrustProxyConstraint implements ValidatorConstraintInterface {
  validate = (value: unknown) => typeof value === 'string' && parseTrustProxy(value) !== undefined;
  defaultMessage = () =>
    'TRUST_PROXY must be true, false, a hop count, or a comma-separated list of addresses and CIDR ranges (or loopback, linklocal, uniquelocal)';
}

/** What Fastify's `trustProxy` takes: trust every proxy, none, the nearest n, or those at these addresses. */
export type TrustProxy = boolean | number | string[];

const PROXY_ADDRESS_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** TRUST_PROXY's text as Fastify's `trustProxy`; undefined if it is none of the forms it may take. */
export function parseTrustProxy(text: string): TrustProxy | undefined {
  const trimmed = text.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (/^\d{1,3}$/.test(trimmed)) return Number(trimmed);
  const entries = trimmed.split(',').map((entry) => entry.trim());
  return entries.every(isProxyAddress) ? entries : undefined;
}

function isProxyAddress(entry: string): boolean {
  if (PROXY_ADDRESS_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/** `true` / `false` from the environment as booleans; anything else is left for the validator to refuse. */
const BooleanFromText = Transform(({ obj, key, value }) => {
  const raw = (obj as Record<string, unknown>)[key];
  return raw === undefined ? value : raw === 'true' ? true : raw === 'false' ? false : raw;
});

/** A KurrentDB connection string (kurrentdb://, kurrentdb+discover://) as @eventstore/db-client 6 parses it (esdb://, esdb+discover://): the same options. */
export function asEsdbConnectionString(value: string): string {
  return value.replace(/^kurrentdb(\+discover)?:\/\//, 'esdb$1://');
}

/**
 * Every setting of the engine, read from the environment and validated at start-up.
 * Field names are the environment variable names so that an error names what to fix.
 */
export class AppConfig {
  @IsInt() @Min(0) @Max(65535)
  PORT: number = 3000;

  @IsString() @IsNotEmpty()
  HOST: string = '0.0.0.0';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** The embedded SQLite log, or in production EventStoreDB (EVENTSTORE_CONNECTION_STRING) or PostgreSQL (EVENT_STORE_URL). */
  @IsIn(['sqlite', 'eventstoredb', 'postgres'])
  EVENT_STORE: 'sqlite' | 'eventstoredb' | 'postgres' = 'sqlite';

  /** postgres://user@host:5432/database, for EVENT_STORE=postgres. */
  @ValidateIf((config: AppConfig) => config.EVENT_STORE === 'postgres')
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'EVENT_STORE_URL must be a postgres:// URL when EVENT_STORE=postgres' })
  EVENT_STORE_URL: string = '';

  /**
   * The PostgreSQL schema of the event log's tables (created if missing), for EVENT_STORE=postgres:
   * one of their own by default, so that the log never shares a schema with read models (whose
   * tables a rebuild drops), even in the same database.
   */
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'EVENT_STORE_SCHEMA must be a lower-case SQL identifier' })
  EVENT_STORE_SCHEMA: string = 'arrears_events';

  /**
   * esdb://host:2113?tls=false for one node; esdb+discover://… or a list of hosts for a cluster.
   * KurrentDB's kurrentdb:// and kurrentdb+discover:// are accepted and read as esdb:// and
   * esdb+discover:// (the same options): @eventstore/db-client 6 parses only the esdb schemes.
   */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? asEsdbConnectionString(value) : value))
  @ValidateIf((config: AppConfig) => config.EVENT_STORE === 'eventstoredb')
  @Matches(/^esdb(\+discover)?:\/\/\S+$/, {
    message: 'EVENTSTORE_CONNECTION_STRING must be an esdb://, esdb+discover://, kurrentdb:// or kurrentdb+discover:// URL when EVENT_STORE=eventstoredb',
  })
  EVENTSTORE_CONNECTION_STRING: string = '';

  /**
   * API keys as a JSON list of { principal, roles, sha256 } (the hex SHA-256 of each secret);
   * when empty, API_KEYS_FILE is read instead.
   */
  @IsString()
  API_KEYS: string = '';

  /** The keys file ({ "keys": [...] }, hashes only); on the embedded default, made with one development key per role if missing. */
  @IsString() @IsNotEmpty()
  API_KEYS_FILE: string = './data/api-keys.json';

  /** Requests one API key may make per minute; beyond it, 429 until the minute has passed. */
  @IsInt() @Min(1) @Max(10_000_000)
  RATE_LIMIT_PER_MINUTE: number = 6_000;

  /** Request bodies larger than this are refused with 413 before they are parsed. */
  @IsInt() @Min(1024) @Max(16 * 1024 * 1024)
  MAX_BODY_BYTES: number = 256 * 1024;

  /**
   * A request's headers and body must have arrived within this long of its first byte, or
   * it is answered 408 and its connection closed: a client sending slowly (or not at all)
   * cannot hold a socket for longer. Ten seconds carries the largest body (MAX_BODY_BYTES,
   * 256 KiB) at about 200 kbit/s, far below the links servicing systems call from; it does
   * not limit how long the engine takes to answer.
   */
  @IsInt() @Min(500) @Max(300_000)
  REQUEST_TIMEOUT_MS: number = 10_000;

  /**
   * How long a connection may wait idle between requests before the engine closes it.
   * Fastify's 72 s: longer than the 60 s idle timeout of common load balancers, so that the
   * balancer closes first and never sends a request on a connection the engine is closing.
   */
  @IsInt() @Min(1_000) @Max(600_000)
  KEEP_ALIVE_TIMEOUT_MS: number = 72_000;

  /**
   * A connection on which nothing is read or written for this long is closed, e.g. a client
   * that stops reading its response. Two minutes: well above the live stream's 15 s
   * keep-alive; an answer that took longer than this to start would be cut off too.
   */
  @IsInt() @Min(1_000) @Max(3_600_000)
  SOCKET_IDLE_TIMEOUT_MS: number = 120_000;

  /**
   * Whether the client address is read from X-Forwarded-For (per-address rate limits, logs):
   * `false` (the connection's address), `true` (the left-most forwarded address: only behind
   * a proxy that sets the header), a hop count, or the proxies' addresses and CIDR ranges
   * (comma-separated), as Fastify's trustProxy takes them.
   */
  @Validate(TrustProxyConstraint)
  TRUST_PROXY: string = 'false';

  /** `:memory:` keeps everything in the process, for tests. */
  @IsString() @IsNotEmpty()
  SQLITE_EVENTS_PATH: string = './data/events.sqlite';

  /** FULL syncs each commit to disk, so an acknowledged command survives a power loss. */
  @IsIn(SYNCHRONOUS)
  SQLITE_SYNCHRONOUS: (typeof SYNCHRONOUS)[number] = 'FULL';

  /**
   * Who copies the event log's write-ahead log back into its file (SQLite's checkpoint):
   * `thread`, a thread of its own with its own connection, so that no command pays for it;
   * `on-commit`, the commit that makes the WAL pass ~40 MB (SQLite's own way). A `:memory:`
   * store has no WAL.
   */
  @IsIn(['thread', 'on-commit'])
  SQLITE_CHECKPOINTS: 'thread' | 'on-commit' = 'thread';

  /**
   * Whether the event log reads ahead the streams a run of commands is about to load (close
   * of business's next page) on a thread of its own with its own connection (`thread`), and
   * hands what it read to their loads, so that a load neither reads nor waits for the disk,
   * or not at all (`off`). Answers are the same either way: a stream that moved after it was
   * read is decided again on what the store holds. A `:memory:` store has no file to read.
   */
  @IsIn(['thread', 'off'])
  SQLITE_READ_AHEAD: 'thread' | 'off' = 'thread';

  /** Where read models live: the embedded SQLite file, or PostgreSQL (READ_STORE_URL) in production. */
  @IsIn(['sqlite', 'postgres'])
  READ_STORE: 'sqlite' | 'postgres' = 'sqlite';

  /** postgres://user@host:5432/database, for READ_STORE=postgres. */
  @ValidateIf((config: AppConfig) => config.READ_STORE === 'postgres')
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'READ_STORE_URL must be a postgres:// URL when READ_STORE=postgres' })
  READ_STORE_URL: string = '';

  /** How often an instance tries to take the lease of a projection another instance runs (PostgreSQL). */
  @IsInt() @Min(100) @Max(60_000)
  PROJECTION_LEASE_RETRY_MS: number = 1_000;

  /** The PostgreSQL schema the read models live in (created if missing). */
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'READ_STORE_SCHEMA must be a lower-case SQL identifier' })
  READ_STORE_SCHEMA: string = 'public';

  @IsString() @IsNotEmpty()
  SQLITE_READ_MODELS_PATH: string = './data/read-models.sqlite';

  @IsInt() @Min(1) @Max(10_000)
  PROJECTION_BATCH_SIZE: number = 500;

  /** Longest a caught-up subscriber waits before looking for appends by other processes. */
  @IsInt() @Min(10) @Max(60_000)
  EVENT_POLL_INTERVAL_MS: number = 250;

  /**
   * How many times a command is tried when another writer (another engine on the same
   * store) appended to its stream first; each retry decides on the store's state after a
   * jittered pause of up to COMMAND_RETRY_PAUSE_MS × 2^(attempt − 1) (capped at 500 ms).
   * When they run out: 503 STREAM.BUSY with Retry-After.
   */
  @IsInt() @Min(1) @Max(50)
  COMMAND_MAX_ATTEMPTS: number = 10;

  @IsInt() @Min(0) @Max(1_000)
  COMMAND_RETRY_PAUSE_MS: number = 5;

  /**
   * How many loans' (and portfolios') states the command path keeps in memory between
   * commands, checked against the store's revision before each use; 0 loads every time.
   */
  @IsInt() @Min(0) @Max(10_000_000)
  CACHED_AGGREGATES: number = 10_000;

  /** In-flight requests and projection batches get this long to finish on SIGTERM. */
  @IsInt() @Min(100) @Max(600_000)
  SHUTDOWN_TIMEOUT_MS: number = 10_000;

  // From the raw text: implicit conversion would turn any non-empty string, "false" too, into true.
  /** Local time (HH:MM) of the daily close of business in server mode, or `off`. */
  @Matches(/^(off|([01]\d|2[0-3]):[0-5]\d)$/, { message: 'COB_DAILY_AT must be HH:MM (24-hour) or off' })
  COB_DAILY_AT: string = '23:30';

  /** The time zone whose calendar gives the business date of the daily close of business. */
  @Validate(IsTimeZoneConstraint)
  COB_TIME_ZONE: string = 'Asia/Shanghai';

  /**
   * An instant with an offset at which the engine's clock stands still (tests, demonstrations,
   * replaying a past business day); empty: the system clock.
   */
  @ValidateIf((config: AppConfig) => config.CLOCK_FROZEN_AT !== '')
  @Validate(IsInstantConstraint)
  CLOCK_FROZEN_AT: string = '';

  /**
   * Days after today's business date that a command's dates may still carry: 1 lets a client
   * a time zone ahead of COB_TIME_ZONE date what is already today for it; 0 refuses any date
   * after today here. Never more: a later date cannot be true.
   */
  @IsInt() @Min(0) @Max(1)
  BUSINESS_DATE_TOLERANCE_DAYS: number = 1;

  /**
   * How many days before a loan's last close of business a payment may still be recorded
   * (the compensating events then bring the loan to where the on-time payment would have);
   * an older one is refused with PAYMENT.BACKDATED_TOO_FAR.
   */
  @IsInt() @Min(0) @Max(3660)
  BACKDATING_LIMIT_DAYS: number = 366;

  /**
   * The assessment performance report's smallest cohort: with fewer loans (judged, or in a
   * PSI cohort) its AUC, Gini, KS or PSI is null, saying so, rather than a figure of noise.
   */
  @IsInt() @Min(1) @Max(1_000_000)
  ASSESSMENT_MIN_LOANS_PER_COHORT: number = 30;

  /** Collection conduct rules: `by-currency` applies `us` (Regulation F) to USD loans and `cn` to the rest. */
  @IsIn(['by-currency', ...Object.keys(CONDUCT_POLICY_PRESETS)])
  CONDUCT_POLICY: 'by-currency' | ConductPolicyPreset = 'by-currency';

  /**
   * JSON of conduct settings that replace the preset's, e.g.
   * {"quietHours":{"start":"21:00","end":"09:00"},"maxConnectedCallsPerDay":2}; null removes a limit.
   */
  @Validate(ConductOverridesConstraint)
  CONDUCT_POLICY_OVERRIDES: string = '{}';

  /** Rate cap, default penalty multiplier, grace days and rounding for new loans (see DESIGN.md §3). */
  @IsIn(Object.keys(LENDING_POLICY_PRESETS))
  LENDING_POLICY: LendingPolicyPreset = 'default';

  @BooleanFromText
  @IsIn([true, false], { message: 'PROJECTIONS_ENABLED must be true or false' })
  PROJECTIONS_ENABLED: boolean = true;

  /**
   * Where this process runs its projections: `worker`, a thread of their own with its own
   * store connections, so that applying events never holds up HTTP requests and commands
   * (on a machine with a spare core); `main`, the request thread. In-memory SQLite stores
   * cannot be shared with a thread, so with those projections run on the main thread.
   */
  @IsIn(['worker', 'main'])
  PROJECTIONS_THREAD: 'worker' | 'main' = 'worker';

  /**
   * A projection at position 0 is built with its rows in memory and written once, rather
   * than batch by batch; false keeps the batch path (a crash then loses at most a batch of
   * work instead of the whole rebuild).
   */
  @BooleanFromText
  @IsIn([true, false], { message: 'PROJECTION_REBUILD_IN_MEMORY must be true or false' })
  PROJECTION_REBUILD_IN_MEMORY: boolean = true;
}

export class InvalidConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const SETTING_NAMES = Object.keys(new AppConfig()) as (keyof AppConfig)[];

/** Builds the configuration from environment variables; throws naming each invalid setting. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const given = Object.fromEntries(
    SETTING_NAMES.filter((name) => env[name] !== undefined && env[name] !== '').map((name) => [name, env[name]]),
  );
  const config = plainToInstance(AppConfig, given, { enableImplicitConversion: true, exposeDefaultValues: true });
  const errors = validateSync(config);
  if (errors.length > 0) {
    throw new InvalidConfigurationError(
      errors.map((error) => {
        const reasons = Object.values(error.constraints ?? {}).join('; ');
        return `${error.property}=${JSON.stringify(given[error.property] ?? null)}: ${reasons}`;
      }),
    );
  }
  return config;
}
