import { In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { SecretBox } from '../common/secret-box';
import { Database } from '../persistence/database';
import { EndpointRow } from '../persistence/entities';
import { Backend } from './backend';
import { UsageError } from './errors';
import { LocalBackend } from './local-backend';
import { Output } from './output';

/** The endpoint columns that hold sealed values: signing secrets, custom headers, credentials. */
const SEALED = ['secretsEnc', 'headersEnc', 'authEnc'] as const;
type Sealed = Pick<EndpointRow, 'id' | (typeof SEALED)[number]>;

/** A row another writer changed between our read and our write is read again, this many times. */
const CONFLICT_ROUNDS = 5;

export interface RekeySummary {
  keyId: string;
  endpoints: number;
  /** Sealed values re-encrypted under the current key in this run. */
  resealed: number;
  /** Sealed values that already were: a re-run finds every value here. */
  alreadyCurrent: number;
}

/**
 * `hookgate rekey`: re-seals every endpoint's secrets, headers and credentials under
 * HOOKGATE_ENCRYPTION_KEY, in batches of one transaction each, so that the keys in
 * HOOKGATE_ENCRYPTION_KEY_PREVIOUS can be dropped. Values already under the current key are
 * left alone, so it is safe to re-run. Each write is conditional on the value read, so a
 * change the running gateway makes meanwhile is never overwritten: that row is read again.
 */
export async function rekey(backend: Backend, out: Output, batchSize: number): Promise<RekeySummary> {
  if (!(backend instanceof LocalBackend)) throw new UsageError('rekey works on the local database (DATABASE_URL) with the keys in its environment: run it without --url');
  const db = backend.service(Database);
  const box = backend.service(SecretBox);
  const summary: RekeySummary = { keyId: box.keyId, endpoints: 0, resealed: 0, alreadyCurrent: 0 };
  const columns = ['id', ...SEALED] as (keyof EndpointRow)[];
  const repo = db.dataSource.getRepository(EndpointRow);
  const bar = out.progress(await repo.count(), 'rekey');
  try {
    let after = '';
    for (;;) {
      const rows: Sealed[] = await repo.createQueryBuilder('e').select(columns.map((c) => `e.${c}`)).where('e.id > :after', { after }).orderBy('e.id').limit(batchSize).getMany();
      if (!rows.length) break;
      let pending = rows;
      for (let round = 1; pending.length; round++) {
        if (round > CONFLICT_ROUNDS) throw new Error(`endpoints ${pending.map((r) => r.id).join(', ')} kept changing while being re-encrypted: run rekey again`);
        const conflicts = await resealBatch(db, box, pending, summary);
        pending = conflicts.length ? await repo.find({ select: columns, where: { id: In(conflicts) } }) : [];
      }
      rows.forEach(() => bar.tick(0));
      summary.endpoints += rows.length;
      after = rows[rows.length - 1].id;
    }
  } finally {
    bar.stop();
  }
  await db.transaction((m) =>
    backend.service(AuditService).record(m, {
      actor: backend.operator.subject,
      tenant: backend.operator.tenant,
      action: 'encryption.rekeyed',
      target: `key:${summary.keyId}`,
      details: { endpoints: summary.endpoints, resealed: summary.resealed, alreadyCurrent: summary.alreadyCurrent },
    }),
  );
  return summary;
}

/** One transaction over a batch; returns the ids whose values changed since they were read. */
async function resealBatch(db: Database, box: SecretBox, rows: Sealed[], summary: RekeySummary): Promise<string[]> {
  const columnName = (property: string) => db.dataSource.getMetadata(EndpointRow).findColumnWithPropertyName(property)!.databaseName;
  const conflicts: string[] = [];
  await db.transaction(async (m) => {
    for (const row of rows) {
      const stale = SEALED.filter((column) => row[column] && !box.isCurrent(row[column]!));
      const current = SEALED.filter((column) => row[column]).length - stale.length;
      if (stale.length) {
        const set = Object.fromEntries(stale.map((column) => [column, box.seal(box.open(row[column]!))]));
        const update = m.createQueryBuilder().update(EndpointRow).set(set).where('id = :id', { id: row.id });
        for (const column of stale) update.andWhere(`${columnName(column)} = :${column}`, { [column]: row[column] });
        if ((await update.execute()).affected === 0) {
          conflicts.push(row.id);
          continue;
        }
      }
      summary.resealed += stale.length;
      summary.alreadyCurrent += current;
    }
  });
  return conflicts;
}

export function describeRekey(s: RekeySummary): string {
  return s.resealed
    ? `Re-encrypted ${s.resealed} stored values of ${s.endpoints} endpoints under key ${s.keyId}. Once no process runs with the old key, drop it from HOOKGATE_ENCRYPTION_KEY_PREVIOUS.`
    : `All ${s.alreadyCurrent} stored values of ${s.endpoints} endpoints already use key ${s.keyId}: nothing to do.`;
}
