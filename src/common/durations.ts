const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The one duration syntax (retry schedules, RETENTION_*, CLI flags). */
export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/** '250ms', '5s', '5m', '2h', '1d' → milliseconds. Throws on anything else. */
export function parseDuration(text: string): number {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) throw new Error(`Invalid duration "${text}" (use e.g. 500ms, 5s, 5m, 2h, 1d)`);
  return Number(match[1]) * UNIT_MS[match[2]];
}
