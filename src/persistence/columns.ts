import { ValueTransformer } from 'typeorm';

/** Timestamps are epoch milliseconds in a BIGINT: the same comparisons on SQLite and PostgreSQL. */
export const epochMs: ValueTransformer = {
  to: (v?: number | null) => v,
  from: (v: string | number | null) => (v === null || v === undefined ? v : Number(v)),
};

export const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();
