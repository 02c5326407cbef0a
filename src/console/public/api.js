// The /v1 API as the console uses it. The token lives in sessionStorage: this tab only, no cookie.
const TOKEN_KEY = 'hookgate.console.token';

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set token(value) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
};

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function call(method, path, body) {
  const headers = { authorization: `Bearer ${session.token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const data = text ? safeJson(text) : undefined;
  if (!res.ok) throw new ApiError(res.status, describeError(res, data));
  return data;
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeError(res, data) {
  if (res.status === 401) return 'Your token was refused (expired or invalid): sign in again.';
  if (res.status === 403) return 'Your token lacks the scope for this (see docs/console.md for the scopes).';
  const detail = data && typeof data === 'object' ? data.detail ?? data.error_description ?? data.message : undefined;
  return `${res.status} ${detail ?? res.statusText}`;
}

const query = (params) => {
  const kept = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return kept.length ? `?${new URLSearchParams(kept)}` : '';
};

/** client_credentials grant: form-encoded, as RFC 6749 has it. */
export async function tokenFromClient(clientId, clientSecret) {
  const res = await fetch('/oauth2/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  });
  const data = safeJson(await res.text());
  if (!res.ok) throw new ApiError(res.status, data?.error_description ?? `sign-in failed (${res.status})`);
  return data.access_token;
}

export const api = {
  endpoints: (cursor) => call('GET', `/v1/webhooks${query({ limit: 100, cursor })}`),
  endpoint: (id) => call('GET', `/v1/webhooks/${encodeURIComponent(id)}`),
  enable: (id) => call('POST', `/v1/webhooks/${encodeURIComponent(id)}/enable`),
  recover: (id, since) => call('POST', `/v1/webhooks/${encodeURIComponent(id)}/recover`, { since }),
  deliveries: (params) => call('GET', `/v1/deliveries${query({ limit: 50, ...params })}`),
  delivery: (id) => call('GET', `/v1/deliveries/${encodeURIComponent(id)}`),
  retry: (id) => call('POST', `/v1/deliveries/${encodeURIComponent(id)}/retry`),
  audit: (cursor) => call('GET', `/v1/audit-events${query({ limit: 100, cursor })}`),
};
