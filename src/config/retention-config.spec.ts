import { loadConfig } from './app-config';

describe('retention and busy-timeout configuration', () => {
  it('defaults to 30 days of events, audit kept forever, a sweep every 10 minutes, writes waiting 30 s', () => {
    const config = loadConfig({});
    expect([config.retentionPeriodMs, config.auditRetentionPeriodMs, config.retentionSweepIntervalMs, config.DATABASE_BUSY_TIMEOUT_MS]).toEqual([30 * 86_400_000, null, 600_000, 30_000]);
  });

  it('reads the one duration syntax', () => {
    const config = loadConfig({ RETENTION_PERIOD: '2s', AUDIT_RETENTION_PERIOD: '365d', RETENTION_SWEEP_INTERVAL: '250ms' });
    expect([config.retentionPeriodMs, config.auditRetentionPeriodMs, config.retentionSweepIntervalMs]).toEqual([2000, 365 * 86_400_000, 250]);
  });

  it.each([
    ['RETENTION_PERIOD', '30 days'],
    ['AUDIT_RETENTION_PERIOD', 'forever'],
    ['RETENTION_SWEEP_INTERVAL', '-5m'],
    ['IDEMPOTENCY_KEY_TTL', '12 hours'],
  ])('refuses %s=%s with one line naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(`Invalid configuration: ${name} must be a duration like 250ms, 5s, 5m, 2h or 30d`);
  });

  it('keeps idempotency-key answers 12 h by default, as Svix does', () => {
    expect([loadConfig({}).idempotencyKeyTtlMs, loadConfig({ IDEMPOTENCY_KEY_TTL: '5s' }).idempotencyKeyTtlMs]).toEqual([12 * 3_600_000, 5000]);
  });

  it('refuses a sweep interval under 100ms, which would sweep back to back', () => {
    expect(() => loadConfig({ RETENTION_SWEEP_INTERVAL: '0s' })).toThrow('Invalid configuration: RETENTION_SWEEP_INTERVAL must be at least 100ms');
  });

  it('refuses a busy timeout that is not a number of milliseconds', () => {
    expect(() => loadConfig({ DATABASE_BUSY_TIMEOUT_MS: '30s' })).toThrow('Invalid configuration: DATABASE_BUSY_TIMEOUT_MS must be an integer number');
  });
});
