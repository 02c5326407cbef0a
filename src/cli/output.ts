import { Presets, SingleBar } from 'cli-progress';

export type Column<T> = [header: string, value: (row: T) => unknown];

/**
 * Everything a command prints. Results go to stdout (JSON with --json, for scripts); progress
 * and notes go to stderr, so piping stdout stays clean.
 */
export class Output {
  constructor(
    readonly json: boolean,
    private readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {}

  /** A result: its JSON, or the human rendering. */
  result(value: unknown, human: () => string): void {
    this.stdout.write(this.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
  }

  table<T>(rows: T[], columns: Column<T>[]): void {
    this.result(rows, () => renderTable(rows, columns));
  }

  note(message: string): void {
    if (!this.json) this.stderr.write(`${message}\n`);
  }

  /**
   * A progress bar on stderr, or a no-op with --json or when stderr is not a terminal. `tick`
   * advances by `step` (default 1); the failure count shows only when `countsFailures`.
   */
  progress(total: number, label: string, countsFailures = true): { tick(failed: number, step?: number): void; stop(): void } {
    if (this.json || !this.stderr.isTTY || total === 0) return { tick: () => undefined, stop: () => undefined };
    const bar: SingleBar = new SingleBar(
      { format: `${label} {bar} {value}/{total}${countsFailures ? ' | {failed} failed' : ''}`, stream: this.stderr, hideCursor: true, clearOnComplete: false },
      Presets.shades_classic,
    );
    bar.start(total, 0, { failed: 0 });
    return { tick: (failed, step = 1) => bar.increment(step, { failed }), stop: () => bar.stop() };
  }
}

export function renderTable<T>(rows: T[], columns: Column<T>[]): string {
  if (rows.length === 0) return '(none)';
  const cells = rows.map((row) => columns.map(([, value]) => cell(value(row))));
  const widths = columns.map(([header], i) => Math.max(header.length, ...cells.map((r) => r[i].length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  return [line(columns.map(([h]) => h.toUpperCase())), ...cells.map(line)].join('\n');
}

/** `key: value` lines for one object. */
export function renderFields(fields: [string, unknown][]): string {
  const width = Math.max(...fields.map(([k]) => k.length));
  return fields.map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${cell(v)}`).join('\n');
}

function cell(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  if (Array.isArray(value)) return value.length ? value.join(' ') : '-';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
