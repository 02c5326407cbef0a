import { Backend } from './backend';
import { CliError } from './errors';

interface Problem {
  detail?: string;
  title?: string;
  message?: string;
  errors?: { path?: string; message?: string }[];
}

/** The same operations against a running gateway's /v1 API, with a bearer token. */
export class HttpBackend implements Backend {
  private readonly base: string;

  constructor(
    url: string,
    private readonly token: string,
  ) {
    this.base = url.replace(/\/+$/, '');
  }

  createClient: Backend['createClient'] = (input) => this.call('POST', '/v1/clients', input);
  listClients: Backend['listClients'] = async () => (await this.call<{ data: Awaited<ReturnType<Backend['listClients']>> }>('GET', '/v1/clients')).data;
  revokeClient: Backend['revokeClient'] = (id) => this.call('DELETE', `/v1/clients/${encodeURIComponent(id)}`);
  createApiKey: Backend['createApiKey'] = (input) => this.call('POST', '/v1/api-keys', input);
  revokeApiKey: Backend['revokeApiKey'] = (id) => this.call('DELETE', `/v1/api-keys/${encodeURIComponent(id)}`);
  listDeliveries: Backend['listDeliveries'] = (filter) => this.call('GET', `/v1/deliveries${query(filter)}`);
  getDelivery: Backend['getDelivery'] = (id) => this.call('GET', `/v1/deliveries/${encodeURIComponent(id)}`);
  retryDelivery: Backend['retryDelivery'] = (id) => this.call('POST', `/v1/deliveries/${encodeURIComponent(id)}/retry`);

  listEndpoints: Backend['listEndpoints'] = (listQuery) => this.call('GET', `/v1/webhooks${query(listQuery)}`);

  async close(): Promise<void> {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(`cannot reach ${this.base}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
    }
    const text = await res.text();
    if (!res.ok) throw new CliError(`${method} ${path.split('?')[0]} failed: ${res.status} ${describeProblem(text, res.statusText)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

function query(params: object): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()}` : '';
}

/** problem+json (or any JSON error) as one readable line. */
function describeProblem(text: string, fallback: string): string {
  try {
    const p = JSON.parse(text) as Problem;
    const fields = (p.errors ?? []).map((e) => e.message).filter(Boolean);
    return [p.detail ?? p.message ?? p.title ?? fallback, ...fields.filter((f) => f !== p.detail)].join('; ');
  } catch {
    return text.slice(0, 200) || fallback;
  }
}
