import 'reflect-metadata';
import { Command, CommanderError, Option } from 'commander';
import { resolve } from 'node:path';
import { VERSION } from '../common/version';
import type { DeliveryView } from '../delivery/api/deliveries.service';
import { Backend, listAll } from './backend';
import { CliError, UsageError } from './errors';
import { HttpBackend } from './http-backend';
import type { LocalBackend } from './local-backend';
import { Column, Output, renderFields } from './output';
import { generatePlugin, NEXT_STEP } from './plugin-generator';
import { registerPurge } from './purge';
import { registerBackup } from './backup';
import { collectDeliveries, describeSummary, parseSince, retryAll } from './replay';

const STATUSES = ['pending', 'held', 'succeeded', 'failed', 'dead'] as const;

/** A commander action: the command's arguments, its options, then the Command itself. */
export type CommandAction = (...args: unknown[]) => Promise<void>;

interface GlobalOptions {
  url?: string;
  token?: string;
  json?: boolean;
}

/** What every command gets: its output, and the backend (opened on first use, closed after). */
class Context {
  readonly out: Output;
  private opened?: Backend;

  constructor(readonly options: GlobalOptions) {
    this.out = new Output(Boolean(options.json));
  }

  async backend(): Promise<Backend> {
    if (this.opened) return this.opened;
    const { url, token } = this.options;
    if (url !== undefined || token !== undefined) {
      if (!url || !token) throw new UsageError('--url and --token go together (or set HOOKGATE_URL and HOOKGATE_TOKEN)');
      this.opened = new HttpBackend(url, token);
      return this.opened;
    }
    return this.openLocal();
  }

  /** The local database (DATABASE_URL) for commands that have no HTTP form; --url is a usage error. */
  async local(command: string): Promise<LocalBackend> {
    if (this.options.url !== undefined || this.options.token !== undefined) throw new UsageError(`${command} works on the local database only (DATABASE_URL); drop --url and --token`);
    return this.openLocal();
  }

  private async openLocal(): Promise<LocalBackend> {
    if (this.opened) return this.opened as LocalBackend;
    // The gateway's modules load only when the local database is used: HTTP mode stays quick.
    const [{ LocalBackend }, { PLUGIN_MODULES }, { loadConfig }] = await Promise.all([import('./local-backend'), import('../../plugins'), import('../config/app-config')]);
    const opened = await LocalBackend.open(loadConfig(process.env), PLUGIN_MODULES, (msg) => this.out.note(`warning: ${msg}`));
    this.opened = opened;
    return opened;
  }

  async close(): Promise<void> {
    await this.opened?.close();
  }
}

/** Runs one command's work with a Context built from the global options. */
function run<A extends unknown[]>(work: (ctx: Context, ...args: A) => Promise<void>): CommandAction {
  return async (...args) => {
    const command = args[args.length - 1] as Command;
    const ctx = new Context(command.optsWithGlobals<GlobalOptions>());
    try {
      await work(ctx, ...(args.slice(0, -1) as A));
    } finally {
      await ctx.close();
    }
  };
}

const DELIVERY_COLUMNS: Column<DeliveryView>[] = [
  ['id', (d) => d.id],
  ['status', (d) => d.status],
  ['attempts', (d) => d.attemptCount],
  ['last', (d) => d.lastStatusCode ?? d.lastError],
  ['next attempt', (d) => d.nextAttemptAt],
  ['endpoint', (d) => d.endpointId],
  ['created', (d) => d.createdAt],
];

function parseOrgRoles(text: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--org-roles must be a JSON object like '{"org_1":"OWNER"}'`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw new UsageError(`--org-roles must be a JSON object of strings like '{"org_1":"OWNER"}'`);
  }
  return value as Record<string, string>;
}

function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`"${text}" is not a positive whole number`);
  return n;
}

export function buildProgram(): Command {
  const program = new Command('hookgate')
    .description('Operate a hookgate gateway: OAuth clients, API keys, endpoints, deliveries, checks and plugins.\nWithout --url it works on the local database named by DATABASE_URL.')
    .version(VERSION)
    .addOption(new Option('--url <url>', 'talk to a running gateway instead of the local database').env('HOOKGATE_URL'))
    .addOption(new Option('--token <token>', 'bearer token for --url (admin scope for clients and API keys)').env('HOOKGATE_TOKEN'))
    .option('--json', 'print results as JSON (no progress bars)')
    .showHelpAfterError()
    .exitOverride();

  const client = program.command('client').description('OAuth clients (client_credentials)');
  client
    .command('create')
    .description('create a client; its secret is printed once')
    .requiredOption('--name <name>', 'a name for people')
    .requiredOption('--scopes <scopes>', 'space-separated scopes, e.g. "webhooks:read webhooks:write"')
    .option('--tenant <tenant>', 'tenant of its tokens (default: the client id)')
    .option('--org-roles <json>', 'org_roles claim of its tokens, e.g. \'{"org_1":"OWNER"}\'', parseOrgRoles)
    .action(
      run(async (ctx, opts: { name: string; scopes: string; tenant?: string; orgRoles?: Record<string, string> }) => {
        const scopes = opts.scopes.split(/[\s,]+/).filter(Boolean);
        if (!scopes.length) throw new UsageError('--scopes names no scope');
        const created = await (await ctx.backend()).createClient({ name: opts.name, scopes, tenant: opts.tenant, orgRoles: opts.orgRoles });
        ctx.out.result(created, () =>
          [
            renderFields([['client id', created.clientId], ['name', created.name], ['scopes', created.scopes], ['tenant', created.tenant], ['org roles', created.orgRoles]]),
            '',
            `client secret: ${created.clientSecret}`,
            'Store the secret now: it is shown only once. Get a token with POST /oauth2/token (grant_type=client_credentials).',
          ].join('\n'),
        );
      }),
    );
  client
    .command('list')
    .description('list clients (secrets are never shown)')
    .action(
      run(async (ctx) => {
        ctx.out.table(await (await ctx.backend()).listClients(), [
          ['client id', (c) => c.clientId],
          ['name', (c) => c.name],
          ['tenant', (c) => c.tenant],
          ['scopes', (c) => c.scopes],
          ['created', (c) => c.createdAt],
          ['revoked', (c) => c.revokedAt],
        ]);
      }),
    );
  client
    .command('revoke <clientId>')
    .description('revoke a client: no new tokens, and its issued ones are refused (within 2 s by running gateways)')
    .action(
      run(async (ctx, id: string) => {
        await (await ctx.backend()).revokeClient(id);
        ctx.out.result({ revoked: id }, () => `Revoked client ${id}.`);
      }),
    );

  const apikey = program.command('apikey').description('API keys (x-api-key header)');
  apikey
    .command('create')
    .description('create an API key for a tenant; the key is printed once')
    .requiredOption('--tenant <tenant>', 'the tenant the key acts for')
    .option('--name <name>', 'a name for people')
    .action(
      run(async (ctx, opts: { tenant: string; name?: string }) => {
        const created = await (await ctx.backend()).createApiKey(opts);
        ctx.out.result(created, () =>
          [renderFields([['id', created.id], ['name', created.name], ['tenant', created.tenant]]), '', `key: ${created.key}`, 'Store the key now: it is shown only once. Send it as the x-api-key header.'].join('\n'),
        );
      }),
    );
  apikey
    .command('revoke <id>')
    .description('revoke an API key')
    .action(
      run(async (ctx, id: string) => {
        await (await ctx.backend()).revokeApiKey(id);
        ctx.out.result({ revoked: id }, () => `Revoked API key ${id}.`);
      }),
    );

  program
    .command('endpoints')
    .description('webhook endpoints')
    .command('list')
    .description('list endpoints (custom header values are masked)')
    .option('--tenant <tenant>', 'only this tenant')
    .option('--limit <n>', 'at most this many', positiveInt, 100)
    .action(
      run(async (ctx, opts: { tenant?: string; limit: number }) => {
        const backend = await ctx.backend();
        const rows = await listAll((cursor) => backend.listEndpoints({ tenant: opts.tenant, cursor, limit: 100 }), opts.limit);
        ctx.out.table(rows, [
          ['id', (e) => e.id],
          ['tenant', (e) => e.tenant],
          ['plugin', (e) => e.plugin ?? 'core'],
          ['enabled', (e) => (e.enabled ? 'yes' : `no${e.disabledReason ? ` (${e.disabledReason})` : ''}`)],
          ['url', (e) => e.url],
          ['event types', (e) => (e.eventTypes.length ? e.eventTypes : 'all')],
        ]);
      }),
    );

  const deliveries = program.command('deliveries').description('deliveries and their attempts');
  deliveries
    .command('list')
    .description('list deliveries, newest first')
    .option('--endpoint <id>', 'only this endpoint')
    .addOption(new Option('--status <status>', 'only this status').choices(STATUSES))
    .option('--limit <n>', 'at most this many', positiveInt, 50)
    .action(
      run(async (ctx, opts: { endpoint?: string; status?: DeliveryView['status']; limit: number }) => {
        const backend = await ctx.backend();
        const rows = await listAll((cursor) => backend.listDeliveries({ endpointId: opts.endpoint, status: opts.status, cursor, limit: Math.min(opts.limit, 100) }), opts.limit);
        ctx.out.table(rows, DELIVERY_COLUMNS);
      }),
    );
  deliveries
    .command('show <id>')
    .description('a delivery with every attempt (status, error, response)')
    .action(
      run(async (ctx, id: string) => {
        const d = await (await ctx.backend()).getDelivery(id);
        ctx.out.result(d, () =>
          [
            renderFields([['id', d.id], ['status', d.status], ['event', d.eventId], ['endpoint', d.endpointId], ['plugin', d.plugin ?? 'core'], ['attempts', d.attemptCount], ['next attempt', d.nextAttemptAt], ['created', d.createdAt]]),
            '',
            ...d.attempts.map((a, i) => `#${i + 1}  ${a.startedAt}  ${a.statusCode ?? '-'}  ${a.durationMs} ms${a.error ? `  ${a.error}` : ''}${a.responseBody ? `\n    ${a.responseBody.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`),
            ...(d.attempts.length ? [] : ['(no attempt yet)']),
          ].join('\n'),
        );
      }),
    );
  deliveries
    .command('retry <id>')
    .description('send a delivery again now')
    .action(
      run(async (ctx, id: string) => {
        const d = await (await ctx.backend()).retryDelivery(id);
        ctx.out.result(d, () => `Delivery ${d.id} is ${d.status}${d.status === 'held' ? ' (its endpoint is disabled: enable it to send)' : ': a worker sends it now'}.`);
      }),
    );

  program
    .command('recover')
    .description("re-send an endpoint's failed and dead deliveries created since a time")
    .requiredOption('--endpoint <id>', 'the endpoint')
    .requiredOption('--since <time>', 'ISO 8601 time, or a duration ago: 90m, 2h, 7d', (t) => parseSince(t))
    .action(
      run(async (ctx, opts: { endpoint: string; since: number }) => {
        const backend = await ctx.backend();
        const ids = await collectDeliveries(backend, ['failed', 'dead'], opts.endpoint, opts.since);
        const summary = await retryAll(backend, ids, ctx.out, 'recover');
        ctx.out.result(summary, () => describeSummary(summary, 'failed and dead deliveries'));
        if (summary.failed.length) process.exitCode = 1;
      }),
    );

  program
    .command('replay-dead')
    .description('re-send dead deliveries (every endpoint, or one)')
    .option('--endpoint <id>', 'only this endpoint')
    .option('--since <time>', 'only those created since: ISO 8601 time, or a duration ago', (t) => parseSince(t))
    .action(
      run(async (ctx, opts: { endpoint?: string; since?: number }) => {
        const backend = await ctx.backend();
        const ids = await collectDeliveries(backend, ['dead'], opts.endpoint, opts.since);
        const summary = await retryAll(backend, ids, ctx.out, 'replay');
        ctx.out.result(summary, () => describeSummary(summary, 'dead deliveries'));
        if (summary.failed.length) process.exitCode = 1;
      }),
    );

  registerPurge(program, run);
  registerBackup(program, run);

  program
    .command('rekey')
    .description('re-encrypt every stored secret, header and credential under HOOKGATE_ENCRYPTION_KEY (local database only; safe to re-run)')
    .option('--batch-size <n>', 'endpoints per transaction', positiveInt, 200)
    .action(
      run(async (ctx, opts: { batchSize: number }) => {
        const { describeRekey, rekey } = await import('./rekey');
        const summary = await rekey(await ctx.backend(), ctx.out, opts.batchSize);
        ctx.out.result(summary, () => describeRekey(summary));
      }),
    );

  program
    .command('openapi')
    .description('OpenAPI documents')
    .command('export')
    .description('write openapi.json, one document per plugin, and the permission matrix')
    .option('--out <dir>', 'folder of the OpenAPI documents', 'openapi')
    .option('--docs <dir>', 'folder of permissions.md', 'docs')
    .action(
      run(async (ctx, opts: { out: string; docs: string }) => {
        const { exportOpenApi } = await import('../openapi/export');
        const files = await exportOpenApi(resolve(opts.out), resolve(opts.docs));
        ctx.out.result({ files }, () => files.map((f) => `wrote ${f}`).join('\n'));
      }),
    );

  program
    .command('doctor')
    .description('check configuration, database, queue, secrets and TLS trust; exit 1 if something is wrong')
    .option('--backup <file>', 'check a backup file instead: opens it read-only, integrity_check, schema, row counts')
    .action(
      run(async (ctx, opts: { backup?: string }) => {
        const { describeChecks, runDoctor } = await import('./doctor');
        const checks = opts.backup ? await (await import('./backup')).checkBackup(opts.backup) : await runDoctor(process.env);
        ctx.out.result({ ok: checks.every((c) => c.ok), checks }, () => describeChecks(checks));
        if (!checks.every((c) => c.ok)) process.exitCode = 1;
      }),
    );

  program
    .command('plugin')
    .description('provider plugins')
    .command('new <key>')
    .description('scaffold plugins/<key>/ and register it in plugins/index.ts')
    .option('--cwd <dir>', 'the hookgate project root', '.')
    .action(
      run(async (ctx, key: string, opts: { cwd: string }) => {
        const files = generatePlugin(resolve(opts.cwd), key);
        const next = `${NEXT_STEP} (builds, then writes openapi/${key}.json and docs/permissions.md); then npx jest test/contract test/e2e/openapi-drift.e2e-spec.ts plugins/${key} passes. Read plugins/${key}/README.md.`;
        ctx.out.result({ files, next: NEXT_STEP }, () => [...files.map((f) => `created ${f}`), '', `Next: ${next}`].join('\n'));
      }),
    );

  return program;
}

/** One line on stderr for every failure; exit 2 for usage errors, 1 for everything else. */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed the problem (and help); only its exit code is ours to choose.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    process.stderr.write(`hookgate: ${message}\n`);
    process.exitCode = err instanceof CliError ? err.exitCode : 1;
  }
}

if (require.main === module) void main(process.argv);
