import { parseDuration } from '../common/durations';
import { DatabaseBusyError } from '../persistence/database';
import type { DeliveryStatus } from '../persistence/entities';
import { Backend, walk } from './backend';
import { UsageError } from './errors';
import { Output } from './output';

export interface ReplaySummary {
  matched: number;
  retried: number;
  failed: { id: string; error: string }[];
}

/** `--since`: an ISO 8601 time, or a duration ago ('90m', '2h', '7d'). */
export function parseSince(text: string, now = Date.now()): number {
  try {
    return now - parseDuration(text);
  } catch {
    const at = Date.parse(text);
    if (Number.isNaN(at)) throw new UsageError(`--since "${text}" is neither an ISO 8601 time nor a duration like 2h or 7d`);
    return at;
  }
}

/**
 * Deliveries in the given statuses (optionally of one endpoint, created since a time), collected
 * before anything is retried so that the retries cannot shift the pages being walked.
 */
export async function collectDeliveries(backend: Backend, statuses: DeliveryStatus[], endpointId?: string, since?: number): Promise<string[]> {
  const ids: string[] = [];
  for (const status of statuses) {
    // Lists are newest first, so the walk stops at the first delivery older than `since`.
    for await (const d of walk((cursor) => backend.listDeliveries({ endpointId, status, cursor, limit: 100 }))) {
      if (since !== undefined && Date.parse(d.createdAt) < since) break;
      ids.push(d.id);
    }
  }
  return ids;
}

/**
 * Retries each delivery once, with a progress bar; one failure does not stop the rest, but a
 * database that stays busy does (every other retry would wait out the same lock).
 */
export async function retryAll(backend: Backend, ids: string[], out: Output, label: string): Promise<ReplaySummary> {
  const summary: ReplaySummary = { matched: ids.length, retried: 0, failed: [] };
  const bar = out.progress(ids.length, label);
  try {
    for (const id of ids) {
      try {
        await backend.retryDelivery(id);
        summary.retried++;
      } catch (err) {
        if (err instanceof DatabaseBusyError) throw err;
        summary.failed.push({ id, error: (err as Error).message });
      }
      bar.tick(summary.failed.length);
    }
  } finally {
    bar.stop();
  }
  return summary;
}

export function describeSummary(s: ReplaySummary, what: string): string {
  const head = s.matched === 0 ? `No ${what} to re-send.` : `Re-sent ${s.retried} of ${s.matched} ${what} (a worker delivers them now).`;
  return [head, ...s.failed.map((f) => `  ${f.id}: ${f.error}`)].join('\n');
}
