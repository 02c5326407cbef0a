import { useState } from 'preact/hooks';
import { api, type Endpoint, type EndpointInput } from '../api';
import { copyText, DataTable, Loading, Pager, StatusBadge, useLoad, View } from '../components';
import { announce, clearFeedback, reportError } from '../feedback';
import { href, navigate, type Route } from '../router';

export const endpointHref = (id: string) => href(`endpoints/${encodeURIComponent(id)}`);

/** Endpoints, newest first. */
export function EndpointsView({ route }: { route: Route }) {
  const loaded = useLoad(() => api.endpoints({ cursor: route.params.cursor, limit: route.params.limit }), [route.params.cursor, route.params.limit]);
  return (
    <View title="Endpoints" actions={<a class="button" href={href('endpoints/new')}>New endpoint</a>}>
      <Loading loaded={loaded}>
        {(page) => (
          <>
            <DataTable
              caption={`${page.data.length} endpoints on this page`}
              columns={['Endpoint', 'Tenant', 'Plugin', 'Event types', 'State']}
              rows={page.data.map((e) => (
                <tr>
                  <td>
                    <a href={endpointHref(e.id)}>{e.url}</a>
                    {e.description ? <div class="muted">{e.description}</div> : null}
                  </td>
                  <td>{e.tenant}</td>
                  <td>{e.plugin ?? 'core'}</td>
                  <td>{e.eventTypes.length ? e.eventTypes.join(', ') : 'all'}</td>
                  <td>
                    <StatusBadge status={e.enabled ? 'enabled' : 'disabled'} />
                    {e.disabledReason ? <div class="muted">{e.disabledReason}</div> : null}
                  </td>
                </tr>
              ))}
            />
            <Pager page={page} route={route} noun="endpoints" />
          </>
        )}
      </Loading>
    </View>
  );
}

/** `Name: value` lines ↔ a header map. */
const headerLines = (headers: Record<string, string>) =>
  Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');

function parseHeaderLines(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const colon = line.indexOf(':');
    if (colon < 1) throw new Error(`Custom headers: "${line}" is not "Name: value".`);
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * Create or edit an endpoint. Header values are stored encrypted and come back masked, so an edit
 * sends headers only when the field was changed (then all of them, as typed).
 */
function EndpointForm({ endpoint, onSaved }: { endpoint?: Endpoint; onSaved: (saved: Endpoint & { secret?: string }) => void }) {
  const initialHeaders = endpoint ? headerLines(endpoint.headers) : '';
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    setBusy(true);
    clearFeedback();
    try {
      const input: EndpointInput = {
        url: text('url'),
        eventTypes: text('eventTypes').split(',').map((t) => t.trim()).filter(Boolean),
        description: text('description'),
      };
      if (text('headers') !== initialHeaders.trim()) input.headers = parseHeaderLines(text('headers'));
      onSaved(endpoint ? await api.updateEndpoint(endpoint.id, input) : await api.createEndpoint(input));
    } catch (err) {
      reportError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="stacked" onSubmit={submit}>
      <label for="endpoint-url">URL</label>
      <input id="endpoint-url" name="url" type="url" required value={endpoint?.url ?? ''} placeholder="https://example.com/webhooks" />
      <label for="endpoint-types">Event types</label>
      <input id="endpoint-types" name="eventTypes" aria-describedby="endpoint-types-hint" value={endpoint?.eventTypes.join(', ') ?? ''} />
      <p id="endpoint-types-hint" class="hint">
        Comma separated, e.g. <code>invoice.paid, invoice.failed</code>; empty = every event type.
      </p>
      <label for="endpoint-description">Description</label>
      <input id="endpoint-description" name="description" value={endpoint?.description ?? ''} />
      <label for="endpoint-headers">Custom headers</label>
      <textarea id="endpoint-headers" name="headers" rows={3} aria-describedby="endpoint-headers-hint" spellcheck={false} value={initialHeaders} />
      <p id="endpoint-headers-hint" class="hint">
        One <code>Name: value</code> per line. Values are stored encrypted and shown masked: to change one, type them all again.
      </p>
      <button type="submit" disabled={busy}>
        {endpoint ? 'Save endpoint' : 'Create endpoint'}
      </button>
    </form>
  );
}

/** The signing secret, shown once (after creation or rotation). */
export const SecretOnce = ({ secret, label }: { secret: string; label: string }) => (
  <div class="secret" role="group" aria-label={label}>
    <p>
      <strong>{label}</strong> — copy it now, it is not shown again:
    </p>
    <p class="mono wrap" id="secret-value">
      {secret}
    </p>
    <button type="button" onClick={() => copyText(secret, 'Secret')}>
      Copy secret
    </button>
  </div>
);

export function NewEndpointView() {
  const [created, setCreated] = useState<(Endpoint & { secret?: string }) | null>(null);
  return (
    <View title={created ? 'Endpoint created' : 'New endpoint'}>
      {created ? (
        <>
          <SecretOnce secret={created.secret ?? ''} label={`Signing secret of ${created.url}`} />
          <p>
            <a href={endpointHref(created.id)}>Open endpoint {created.url}</a>
          </p>
        </>
      ) : (
        <EndpointForm onSaved={setCreated} />
      )}
    </View>
  );
}

export function EditEndpointView({ id }: { id: string }) {
  const loaded = useLoad(() => api.endpoint(id), [id]);
  return (
    <View title="Edit endpoint">
      <Loading loaded={loaded}>{(endpoint) => <EndpointForm endpoint={endpoint} onSaved={(saved) => {
            announce(`Endpoint ${saved.url} saved.`);
            navigate(endpointHref(saved.id));
          }} />}</Loading>
    </View>
  );
}
