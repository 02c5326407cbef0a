/**
 * The one rule for "a claimable delivery", shared by the claim (raw SQL) and the queue
 * reconciler (query builder): waiting to be sent, due, and under no live lease (a lease still
 * running means an attempt is in flight). `now` renders the time parameter at each use, since
 * raw SQL binds positionally and the query builder by name; `alias` qualifies the columns.
 */
export function claimableCondition(now: () => string, alias?: string): string {
  const column = (name: string) => (alias ? `${alias}.${name}` : name);
  return `${column('status')} IN ('pending', 'failed') AND ${column('next_attempt_at')} <= ${now()} AND (${column('lease_until')} IS NULL OR ${column('lease_until')} < ${now()})`;
}
