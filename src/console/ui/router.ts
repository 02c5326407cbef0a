import { useEffect, useState } from 'preact/hooks';
import { queryString } from './api';

/** A console URL: `#/deliveries/<id>?status=failed` → path ['deliveries', '<id>'], params {status: 'failed'}. */
export interface Route {
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
    path: path.split('/').filter(Boolean).map(decodeURIComponent),
    params: Object.fromEntries(new URLSearchParams(search)),
  };
}

/** The hash for a path and its query parameters (empty ones left out). */
export function href(path: string, params: Record<string, string | undefined> = {}): string {
  return `#/${path}${queryString(params)}`;
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
