import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';
import { DURATION_PATTERN, parseDuration } from '../common/durations';
import { LOG_FORMATS, LogFormat } from '../common/logger';
import { compileSsrfPolicy } from '../delivery/http/ssrf';
import { ExternalIssuer, parseExternalIssuers } from './external-issuers';
import { violationMessage } from './violation';
import ipaddr from 'ipaddr.js';

const toBool = ({ value }: { value: unknown }) =>
  value === undefined || typeof value === 'boolean' ? value : ['true', '1', 'yes'].includes(String(value).toLowerCase()) ? true : ['false', '0', 'no', ''].includes(String(value).toLowerCase()) ? false : value;
const toNumber = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;

const DURATION_MESSAGE = 'must be a duration like 250ms, 5s, 5m, 2h or 30d';

/**
 * The whole environment, read once and validated at start-up. Nothing else reads process.env.
 * Property names are the variable names so that an error names the variable.
 */
export class AppConfig {
  @IsOptional() @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toNumber) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /**
   * Which peers may tell the client's address in X-Forwarded-For: `false` (default: the socket's
   * address is the client's), `true` (any), a hop count, or a comma list of addresses, CIDRs and
   * `loopback`/`linklocal`/`uniquelocal`. The per-address limits trust what this allows.
   */
  @IsString()
  TRUST_PROXY = 'false';

  @Matches(/^(sqlite:\/\/.+|postgres(ql)?:\/\/.+)$/, { message: 'must be sqlite://PATH or postgres://…' })
  DATABASE_URL = 'sqlite://./data/hookgate.sqlite';

  /** How long a write waits for another process's lock (a CLI, a backup) before failing clearly. */
  @Transform(toNumber) @IsInt() @Min(100) @Max(600000)
  DATABASE_BUSY_TIMEOUT_MS = 30000;

  @IsOptional() @Matches(/^rediss?:\/\/.+/, { message: 'must be redis://…' })
  QUEUE_URL?: string;

  @Matches(/^[A-Za-z0-9_:-]+$/, { message: 'must contain only letters, digits, _ : -' })
  QUEUE_PREFIX = 'hookgate';

  @IsIn(['api', 'worker', 'all'])
  ROLE: 'api' | 'worker' | 'all' = 'all';

  @IsOptional() @IsString() @Matches(/^.{32,}$/s, { message: 'must be at least 32 characters' })
  AUTH_JWT_SECRET?: string;

  @IsOptional() @Matches(/^https?:\/\/.+/, { message: 'must be an http(s) URL' })
  AUTH_JWKS_URI?: string;

  @IsOptional() @IsString()
  AUTH_ISSUER?: string;

  @IsOptional() @IsString()
  AUTH_AUDIENCE?: string;

  /** External identity providers (a JSON list, see ExternalIssuer); AUTH_JWKS_URI + AUTH_ISSUER + AUTH_AUDIENCE is the one-issuer shorthand. */
  @IsOptional() @IsString()
  AUTH_ISSUERS?: string;

  @Transform(toNumber) @IsInt() @Min(60) @Max(86400)
  AUTH_TOKEN_TTL_SECONDS = 3600;

  @IsOptional() @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'must be 32 bytes, base64 encoded' })
  HOOKGATE_ENCRYPTION_KEY?: string;

  /** Keys that sealed values before the current one: they still open them until `hookgate rekey`. */
  @Transform(toList) @Matches(/^[A-Za-z0-9+/]{43}=$/, { each: true, message: 'must be a comma-separated list of 32-byte base64 keys' })
  HOOKGATE_ENCRYPTION_KEY_PREVIOUS: string[] = [];

  @IsOptional() @Transform(toList) @IsString({ each: true })
  PLUGINS?: string[];

  @Transform(toBool) @IsBoolean()
  DELIVERY_ALLOW_PRIVATE_NETWORKS = false;

  @Transform(toList) @IsString({ each: true })
  DELIVERY_ALLOWED_CIDRS: string[] = [];

  @Transform(toNumber) @IsNumber() @IsPositive() @Max(1000)
  DELIVERY_TIME_SCALE = 1;

  /** Sends a W3C `traceparent` (the attempt span's) to receivers; tracing itself is on with OTEL_EXPORTER_OTLP_*ENDPOINT. */
  @Transform(toBool) @IsBoolean()
  DELIVERY_PROPAGATE_TRACE = false;

  @Transform(toNumber) @IsInt() @Min(1) @Max(4096)
  DELIVERY_CONCURRENCY = 64;

  @Transform(toNumber) @IsInt() @Min(100) @Max(120000)
  DELIVERY_TIMEOUT_MS = 15000;

  @Transform(toNumber) @IsInt() @Min(10) @Max(60000)
  DELIVERY_POLL_INTERVAL_MS = 1000;

  @Transform(toNumber) @IsInt() @Min(1000) @Max(3600000)
  DELIVERY_LEASE_MS = 60000;

  @Transform(toNumber) @IsInt() @Min(0)
  DELIVERY_DISABLE_AFTER_MS = 5 * 24 * 3600 * 1000;

  @Transform(toNumber) @IsInt() @Min(1)
  DELIVERY_DISABLE_MIN_FAILURES = 10;

  @Transform(toNumber) @IsInt() @Min(0)
  SECRET_ROTATION_GRACE_MS = 24 * 3600 * 1000;

  /** Requests per minute and principal on each surface that declares no limit of its own; 0 = off. */
  @Transform(toNumber) @IsInt() @Min(0) @Max(100000)
  API_RATE_LIMIT_PER_MINUTE = 600;

  /** How long the database-derived gauges of /metrics are reused: one query per period, however many scrapers. */
  @Transform(toNumber) @IsInt() @Min(0) @Max(300000)
  METRICS_CACHE_MS = 10000;

  @Transform(toNumber) @IsInt() @Min(1000) @Max(60000)
  SHUTDOWN_GRACE_MS = 10000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** `json` or `pretty`; unset: pretty when stdout is a terminal, JSON otherwise. */
  @IsOptional() @IsIn(LOG_FORMATS)
  LOG_FORMAT?: LogFormat;

  /** Events older than this whose every delivery is final are purged with their deliveries and attempts. */
  @Matches(DURATION_PATTERN, { message: DURATION_MESSAGE })
  RETENTION_PERIOD = '30d';

  /** Audit events older than this are purged; unset keeps them forever. */
  @IsOptional() @Matches(DURATION_PATTERN, { message: DURATION_MESSAGE })
  AUDIT_RETENTION_PERIOD?: string;

  @Matches(DURATION_PATTERN, { message: DURATION_MESSAGE })
  RETENTION_SWEEP_INTERVAL = '10m';

  /** How long an `@Operation({ idempotent: true })` answer is replayed for its idempotency-key (Svix: 12 h). */
  @Matches(DURATION_PATTERN, { message: DURATION_MESSAGE })
  IDEMPOTENCY_KEY_TTL = '12h';

  /**
   * TRUST_PROXY as Fastify's `trustProxy` option takes it. A hop count becomes a function that
   * trusts that many hops, as Fastify did itself before 5.12 (which now trusts no one for a number,
   * as it cannot check the nearest peer): the documented meaning of a hop count stays.
   */
  get trustProxy(): boolean | string[] | ((address: string, hop: number) => boolean) {
    const trusted = parseTrustProxy(this.TRUST_PROXY);
    return typeof trusted === 'number' ? (_address, hop) => hop < trusted : trusted;
  }

  /** The environment this configuration was read from: plugins' own declared settings are read from it (PluginRegistry). */
  get environment(): Readonly<Record<string, string | undefined>> {
    return environments.get(this) ?? {};
  }

  /** Every external issuer whose tokens are accepted (AUTH_ISSUERS, or the AUTH_JWKS_URI shorthand). */
  get externalIssuers(): ExternalIssuer[] {
    return parseExternalIssuers(this.AUTH_ISSUERS, { jwksUri: this.AUTH_JWKS_URI, issuer: this.AUTH_ISSUER, audience: this.AUTH_AUDIENCE });
  }

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }

  get retentionPeriodMs(): number {
    return parseDuration(this.RETENTION_PERIOD);
  }

  get auditRetentionPeriodMs(): number | null {
    return this.AUDIT_RETENTION_PERIOD === undefined ? null : parseDuration(this.AUDIT_RETENTION_PERIOD);
  }

  get retentionSweepIntervalMs(): number {
    return parseDuration(this.RETENTION_SWEEP_INTERVAL);
  }

  get idempotencyKeyTtlMs(): number {
    return parseDuration(this.IDEMPOTENCY_KEY_TTL);
  }

  /** A delay from a plugin's schedule, scaled for tests (DELIVERY_TIME_SCALE). */
  scaled(ms: number): number {
    return Math.round(ms * this.DELIVERY_TIME_SCALE);
  }
}

export class ConfigError extends Error {}

const environments = new WeakMap<AppConfig, Readonly<Record<string, string | undefined>>>();

const MIN_SWEEP_INTERVAL_MS = 100;
const PROXY_KEYWORDS = ['loopback', 'linklocal', 'uniquelocal'];

/** TRUST_PROXY: true, false, a hop count, or addresses, CIDRs and proxy-addr's keywords; throws naming a bad entry. */
function parseTrustProxy(value: string): boolean | number | string[] {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  const bad = entries.find((e) => !PROXY_KEYWORDS.includes(e) && !ipaddr.isValid(e) && !isCidr(e));
  if (bad !== undefined || !entries.length) throw new Error(`must be true, false, a hop count or a comma list of addresses, CIDRs and ${PROXY_KEYWORDS.join('/')} (not "${bad ?? value}")`);
  return entries;
}

function isCidr(value: string): boolean {
  try {
    ipaddr.parseCIDR(value);
    return true;
  } catch {
    return false;
  }
}

/** Validates the environment; throws a ConfigError whose message is one line naming the variable. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const known = Object.keys(new AppConfig());
  const input = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => v !== undefined && known.includes(k)),
  );
  const config = plainToInstance(AppConfig, input, { exposeDefaultValues: true });
  environments.set(config, Object.freeze({ ...env }));
  const [first] = validateSync(config, { whitelist: true });
  if (first) throw new ConfigError(`Invalid configuration: ${first.property} ${violationMessage(first)}`);
  // A zero interval would sweep back to back and keep the database busy.
  if (config.retentionSweepIntervalMs < MIN_SWEEP_INTERVAL_MS) throw new ConfigError(`Invalid configuration: RETENTION_SWEEP_INTERVAL must be at least ${MIN_SWEEP_INTERVAL_MS}ms`);
  try {
    parseTrustProxy(config.TRUST_PROXY);
  } catch (err) {
    throw new ConfigError(`Invalid configuration: TRUST_PROXY ${(err as Error).message}`);
  }
  try {
    void config.externalIssuers;
  } catch (err) {
    throw new ConfigError(`Invalid configuration: AUTH_ISSUERS ${(err as Error).message}`);
  }
  try {
    compileSsrfPolicy({ allowPrivateNetworks: config.DELIVERY_ALLOW_PRIVATE_NETWORKS, allowedCidrs: config.DELIVERY_ALLOWED_CIDRS });
  } catch (err) {
    throw new ConfigError(`Invalid configuration: DELIVERY_ALLOWED_CIDRS ${(err as Error).message}`);
  }
  return config;
}
