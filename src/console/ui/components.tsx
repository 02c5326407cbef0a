import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Page } from './api';
import { announce, clearFeedback, reportError } from './feedback';
import { currentTenant, hereWith, href, navigate, type Route } from './router';

export interface Loaded<T> {
  data?: T;
  error?: unknown;
  reload: () => void;
}

/** Runs `load` whenever a dependency changes; errors go to the alert region as well. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown }>({});
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ data }),
      (error) => {
        if (!live) return;
        setState({ error });
        reportError(error);
      },
    );
    // A view left before its answer came must not show (or report) it.
    return () => {
      live = false;
    };
  }, [...deps, version]);
  return { ...state, reload: useCallback(() => setVersion((v) => v + 1), []) };
}

/** A view under its own heading; focus moves to the heading when the view opens, so screen readers hear the change. */
export function View({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} — hookgate console`;
    heading.current?.focus();
  }, [title]);
  return (
    <section aria-labelledby="view-title">
      <div class="view-head">
        <h2 id="view-title" tabIndex={-1} ref={heading}>
          {title}
        </h2>
        {actions ? <div class="actions">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}

export function Loading<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ComponentChildren }) {
  if (loaded.error) return <p class="muted">Could not load this view.</p>;
  if (loaded.data === undefined) return <p class="muted">Loading…</p>;
  return <>{children(loaded.data)}</>;
}

/** A table in a focusable scroll region: on a narrow screen it scrolls sideways, by keyboard too. */
export function DataTable({ caption, columns, rows, empty = 'Nothing here yet.' }: { caption: string; columns: string[]; rows: ComponentChildren[]; empty?: string }) {
  return (
    <div class="scroll" tabIndex={0} role="region" aria-label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col">{column}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length ? (
            rows
          ) : (
            <tr>
              <td colSpan={columns.length}>{empty}</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

export const StatusBadge = ({ status }: { status: string }) => <span class={`badge status-${status}`}>{status}</span>;

export const Time = ({ iso }: { iso: string | null | undefined }) => (iso ? <time dateTime={iso}>{new Date(iso).toLocaleString()}</time> : <>—</>);

export const percent = (rate: number | null | undefined): string => (rate === null || rate === undefined ? 'no attempts' : `${(rate * 100).toFixed(1)}%`);

export const ms = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : `${Math.round(value)} ms`);

/** Newer/older page links: the cursor is part of the URL, so the back button pages back too. */
function Pager({ page, route, noun }: { page: Page<unknown>; route: Route; noun: string }) {
  const at = (cursor: string | null | undefined) => (cursor ? href(route.path.join('/'), { ...route.params, cursor }) : undefined);
  const newer = at(page.prevCursor);
  const older = at(page.nextCursor);
  return (
    <nav class="pager" aria-label={`Pages of ${noun}`}>
      {newer ? <a href={newer}>Newer {noun}</a> : <span class="muted">Newest page</span>}
      {older ? <a href={older}>Older {noun}</a> : <span class="muted">Oldest page</span>}
    </nav>
  );
}

export interface FilterField {
  name: string;
  label: string;
  type?: 'text' | 'datetime-local';
  options?: string[];
}

/**
 * A filter form whose values live in the URL: submitting navigates to the same view with the new
 * parameters (and from the first page), so filtered views can be bookmarked and shared.
 */
function FilterForm({ route, fields, title }: { route: Route; fields: FilterField[]; title: string }) {
  const submit = (event: Event) => {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(event.currentTarget as HTMLFormElement)) as Record<string, string>;
    navigate(href(route.path.join('/'), values));
  };
  return (
    // Uncontrolled fields, reset (by the key) only when the URL's filters change: a re-render while
    // the list loads never wipes what the user is typing.
    <form class="filters" role="search" aria-label={title} onSubmit={submit} key={new URLSearchParams(route.params).toString()}>
      {fields.map((field) => (
        <div class="field">
          <label for={`filter-${field.name}`}>{field.label}</label>
          {field.options ? (
            <select id={`filter-${field.name}`} name={field.name}>
              <option value="">any</option>
              {field.options.map((option) => (
                <option value={option} selected={option === route.params[field.name]}>
                  {option}
                </option>
              ))}
            </select>
          ) : (
            <FilterInput field={field} value={route.params[field.name] ?? ''} />
          )}
        </div>
      ))}
      <div class="field buttons">
        <button type="submit">Apply filters</button>
        <a href={href(route.path.join('/'))}>Clear</a>
      </div>
    </form>
  );
}

function FilterInput({ field, value }: { field: FilterField; value: string }) {
  const id = `filter-${field.name}`;
  return field.type === 'datetime-local' ? <input id={id} name={field.name} type="datetime-local" defaultValue={value} /> : <input id={id} name={field.name} defaultValue={value} />;
}

/**
 * The time-range filters are datetime-local values in the URL; the API wants ISO 8601. A value that
 * is no date (a hand-edited link) goes as it is, for the API to refuse with a clear message.
 */
function isoOrAsIs(local: string | undefined): string | undefined {
  const time = local ? new Date(local) : undefined;
  return time && !Number.isNaN(time.getTime()) ? time.toISOString() : local;
}

/** Loads the page of a list that the URL asks for: its filters (times as ISO 8601), `cursor` and `limit`. */
function useListPage<T>(route: Route, filters: FilterField[], load: (query: Record<string, string | undefined>) => Promise<Page<T>>): Loaded<Page<T>> {
  const query: Record<string, string | undefined> = { cursor: route.params.cursor, limit: route.params.limit };
  for (const field of filters) query[field.name] = field.type === 'datetime-local' ? isoOrAsIs(route.params[field.name]) : route.params[field.name];
  return useLoad(() => load(query), [JSON.stringify(query)]);
}

/**
 * A list view's body: the filter form (when the list has filters), then the page the URL's
 * filters and cursor select, drawn by `table` under the caption "N <noun> on this page", and the
 * pager.
 */
export function ListPage<T>({ route, filters, filterTitle, load, noun, table }: {
  route: Route;
  filters: FilterField[];
  filterTitle?: string;
  load: (query: Record<string, string | undefined>) => Promise<Page<T>>;
  noun: string;
  table: (items: T[], caption: string) => ComponentChildren;
}) {
  const loaded = useListPage(route, filters, load);
  return (
    <>
      {filters.length ? <FilterForm route={route} title={filterTitle ?? `Filter ${noun}`} fields={filters} /> : null}
      <Loading loaded={loaded}>
        {(page) => (
          <>
            {table(page.data, `${page.data.length} ${noun} on this page`)}
            <Pager page={page} route={route} noun={noun} />
          </>
        )}
      </Loading>
    </>
  );
}

/** A value for a datetime-local input, in local time. */
export function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A button that runs an API action, says what happened in the status region, then refreshes the view. */
export function ActionButton({ label, run, then, class: className }: { label: string; run: () => Promise<string>; then?: () => void; class?: string }) {
  const [busy, setBusy] = useState(false);
  const click = async () => {
    setBusy(true);
    clearFeedback();
    try {
      announce(await run());
      then?.();
    } catch (err) {
      reportError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" class={className} onClick={click} disabled={busy} aria-busy={busy}>
      {label}
    </button>
  );
}

/** Copies to the clipboard and says so; a refusing browser gets a clear message instead. */
export async function copyText(text: string, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    announce(`${what} copied to the clipboard.`);
  } catch {
    reportError(new Error(`The browser refused the clipboard: select the ${what.toLowerCase()} and copy it by hand.`));
  }
}

/** Definition list of facts: [term, value] pairs. */
export function Facts({ id, facts }: { id?: string; facts: [string, ComponentChildren][] }) {
  return (
    <dl class="facts" id={id}>
      {facts.map(([term, value]) => (
        <div>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * Detail routes take no tenant filter, so a detail page opened with one (a hand-edited or stale
 * link) checks the tenant itself: it shows nothing of another tenant, and links to the same page
 * under the tenant it belongs to.
 */
export function OfTenant({ tenant, what, children }: { tenant: string | undefined; what: string; children: ComponentChildren }) {
  const filter = currentTenant();
  if (!filter || tenant === undefined || tenant === filter) return <>{children}</>;
  return (
    <div class="notice" id="other-tenant">
      <p>
        {what} belongs to tenant <strong>{tenant}</strong>, not to tenant <strong>{filter}</strong> that this page is filtered by.
      </p>
      <p>
        <a href={hereWith({ tenant })}>Open it under tenant {tenant}</a>
      </p>
    </div>
  );
}
