import { Command } from 'commander';
import { parseDuration } from '../common/durations';
import { PurgeCounts, RetentionService } from '../retention/retention.service';
import { UsageError } from './errors';
import type { LocalBackend } from './local-backend';
import type { CommandAction } from './main';
import { Output, renderTable } from './output';

interface PurgeContext {
  out: Output;
  local(command: string): Promise<LocalBackend>;
}

type Run = (work: (ctx: PurgeContext, opts: PurgeFlags) => Promise<void>) => CommandAction;

interface PurgeFlags {
  olderThan?: string;
  auditOlderThan?: string;
  dryRun?: boolean;
}

function duration(flag: string): (text: string) => string {
  return (text) => {
    try {
      parseDuration(text);
    } catch {
      throw new UsageError(`${flag} "${text}" is not a duration like 250ms, 5s, 5m, 2h or 30d`);
    }
    return text;
  };
}

/**
 * `hookgate purge`: what the retention sweep does, now, on the local database (no HTTP form: it
 * is an operator's maintenance task, like a backup). Safe next to a running gateway: the same
 * small batches, each its own transaction.
 */
export function registerPurge(program: Command, run: Run): void {
  program
    .command('purge')
    .description('remove events (with deliveries and attempts) whose deliveries are all final, and old audit events; prints the rows removed per table')
    .option('--older-than <duration>', 'events older than this (default RETENTION_PERIOD, 30d)', duration('--older-than'))
    .option('--audit-older-than <duration>', 'audit events older than this (default AUDIT_RETENTION_PERIOD; unset keeps them)', duration('--audit-older-than'))
    .option('--dry-run', 'count what would be removed, remove nothing')
    .action(
      run(async (ctx, opts) => {
        const local = await ctx.local('purge');
        const now = Date.now();
        const olderThan = opts.olderThan ?? local.config.RETENTION_PERIOD;
        const auditOlderThan = opts.auditOlderThan ?? local.config.AUDIT_RETENTION_PERIOD ?? null;
        const scope = { eventsBefore: now - parseDuration(olderThan), auditBefore: auditOlderThan === null ? null : now - parseDuration(auditOlderThan) };
        const found = await local.service(RetentionService).count(scope);
        let rows = found;
        if (!opts.dryRun) {
          const bar = ctx.out.progress(found.events + found.audit_events, 'purge', false);
          let done = 0;
          try {
            rows = await local.service(RetentionService).purge({
              ...scope,
              onProgress: (removed) => {
                bar.tick(0, removed.events + removed.audit_events - done);
                done = removed.events + removed.audit_events;
              },
            });
          } finally {
            bar.stop();
          }
        }
        const result = { dryRun: Boolean(opts.dryRun), olderThan, auditOlderThan, rows };
        ctx.out.result(result, () => describeRows(result));
      }),
    );
}

function describeRows({ dryRun, olderThan, auditOlderThan, rows }: { dryRun: boolean; olderThan: string; auditOlderThan: string | null; rows: PurgeCounts }): string {
  const head = `${dryRun ? 'Would remove' : 'Removed'} events older than ${olderThan} whose deliveries are all final, ${auditOlderThan ? `and audit events older than ${auditOlderThan}` : 'and no audit events (AUDIT_RETENTION_PERIOD is unset)'}:`;
  const table = renderTable(Object.entries(rows), [
    ['table', ([name]) => name],
    ['rows', ([, n]) => String(n)],
  ]);
  return `${head}\n${table}`;
}
