import { useEffect, useState } from 'preact/hooks';

/** A console URL: `#/deliveries/<id>?status=failed` → path ['deliveries', '<id>'], params {status: 'failed'}. */
export interface Route {
  /** The hash this route was read from. */
  hash: string;
  path: string[];
  params: Record<string, string>;
}

/**
 * Hash routing: every view has a URL the server never sees (the page is one static file), so deep
 * links, bookmarks and the back button work without server routes.
 */
export function parseRoute(hash: string): Route {
  const [path, search = ''] = hash.replace(/^#\/?/, '').split('?');
  return {
    hash,
    path: path.split('/').filter(Boolean).map(decodeURIComponent),
    params: Object.fromEntries(new URLSearchParams(search)),
  };
}

/** Query string of the given parameters, leaving out empty ones. */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const kept = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '') as [string, string][];
  return kept.length ? `?${new URLSearchParams(kept.map(([k, v]) => [k, String(v)]))}` : '';
}

/**
 * The admin's tenant filter (empty = every tenant) lives in the URL, so a link shows exactly what
 * its sender saw; tenant tokens never set it.
 */
export const currentTenant = (): string => parseRoute(window.location.hash).params.tenant ?? '';

/**
 * The hash for a path and its query parameters (empty ones left out). Every link carries the
 * current tenant filter unless `params` names a `tenant` itself (empty = every tenant).
 */
export function href(path: string, params: Record<string, string | undefined> = {}): string {
  return `#/${path}${queryString('tenant' in params ? params : { tenant: currentTenant(), ...params })}`;
}

/**
 * The current URL (read now: a hash change may not have been rendered yet) with some of its query
 * parameters replaced; `undefined` drops one.
 */
export function hereWith(params: Record<string, string | undefined>): string {
  const here = parseRoute(window.location.hash);
  return href(here.path.map(encodeURIComponent).join('/'), { ...here.params, ...params });
}

export function navigate(to: string): void {
  window.location.hash = to;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
