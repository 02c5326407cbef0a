import { useState } from 'preact/hooks';
import { api, type CatalogueType, type Endpoint, type EndpointInput } from '../api';
import { copyText, DataTable, ListPage, Loading, OfTenant, StatusBadge, useLoad, View } from '../components';
import { announce, clearFeedback, reportError } from '../feedback';
import { href, navigate, type Route } from '../router';

export const endpointHref = (id: string) => href(`endpoints/${encodeURIComponent(id)}`);

/** Disabled with a reason = disabled by the delivery engine (an owner's disable gives none). */
export const endpointState = (e: Endpoint): string => (e.enabled ? 'enabled' : e.disabledReason ? 'auto-disabled' : 'disabled');

/** Endpoints, newest first. */
export function EndpointsView({ route }: { route: Route }) {
  return (
    <View title="Endpoints" actions={<a class="button" href={href('endpoints/new')}>New endpoint</a>}>
      <ListPage
        route={route}
        filters={[]}
        load={api.endpoints}
        noun="endpoints"
        table={(endpoints, caption) => (
          <DataTable
            caption={caption}
            columns={['Endpoint', 'Tenant', 'Plugin', 'Event types', 'State']}
            rows={endpoints.map((e) => (
              <tr>
                <td>
                  <a href={endpointHref(e.id)}>{e.url}</a>
                  {e.description ? <div class="muted">{e.description}</div> : null}
                </td>
                <td>{e.tenant}</td>
                <td>{e.plugin ?? 'core'}</td>
                <td>{e.eventTypes.length ? e.eventTypes.join(', ') : 'all'}</td>
                <td>
                  <StatusBadge status={endpointState(e)} />
                  {e.disabledReason && !e.enabled ? <div class="muted">{e.disabledReason}</div> : null}
                </td>
              </tr>
            ))}
          />
        )}
      />
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

const commaList = (text: string): string[] =>
  text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

/**
 * Event types as checkboxes from the plugin's catalogue (GET /v1/event-types), plus a free field
 * for the others: core endpoints take any type the API publishes, and a plugin may accept more.
 */
function EventTypePicker({ catalogue, plugin, chosen }: { catalogue: CatalogueType[] | null; plugin: string; chosen: string[] }) {
  const offered = (catalogue ?? []).filter((t) => t.plugin === plugin);
  const others = chosen.filter((type) => !offered.some((t) => t.type === type));
  return (
    <fieldset class="event-types">
      <legend>Event types</legend>
      {offered.length ? (
        <ul class="choices" aria-label={`Event types of ${plugin}`}>
          {offered.map((t) => (
            <li>
              <label>
                <input type="checkbox" name="eventType" value={t.type} defaultChecked={chosen.includes(t.type)} /> <span class="mono">{t.type}</span>{' '}
                <span class="muted">{t.description}</span>
              </label>
            </li>
          ))}
        </ul>
      ) : (
        <p class="hint">{catalogue ? 'No catalogue for core endpoints: they take any event type published to the API.' : 'The event type catalogue could not be loaded.'}</p>
      )}
      <label for="endpoint-types">Other event types</label>
      <input id="endpoint-types" name="otherEventTypes" aria-describedby="endpoint-types-hint" defaultValue={others.join(', ')} />
      <p id="endpoint-types-hint" class="hint">
        Comma separated, e.g. <code>invoice.paid, invoice.failed</code>. No type ticked or typed = every event type.
      </p>
    </fieldset>
  );
}

/**
 * Create or edit an endpoint. Header values are stored encrypted and come back masked, so an edit
 * sends headers only when the field was changed (then all of them, as typed). The plugin is chosen
 * at creation only: it fixes the endpoint's wire format.
 */
function EndpointForm({ endpoint, onSaved }: { endpoint?: Endpoint; onSaved: (saved: Endpoint & { secret?: string }) => void }) {
  const initialHeaders = endpoint ? headerLines(endpoint.headers) : '';
  const catalogue = useLoad(() => api.eventTypes().then((page) => page.data, () => null), []);
  const [plugin, setPlugin] = useState(endpoint?.plugin ?? '');
  const [busy, setBusy] = useState(false);
  const plugins = [...new Set((catalogue.data ?? []).map((t) => t.plugin))];
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    setBusy(true);
    clearFeedback();
    try {
      const input: EndpointInput = {
        url: text('url'),
        eventTypes: [...new Set([...form.getAll('eventType').map(String), ...commaList(text('otherEventTypes'))])],
        description: text('description'),
      };
      if (!endpoint && plugin) input.plugin = plugin;
      if (text('headers') !== initialHeaders.trim()) input.headers = parseHeaderLines(text('headers'));
      onSaved(endpoint ? await api.updateEndpoint(endpoint.id, input) : await api.createEndpoint(input));
    } catch (err) {
      reportError(err);
    } finally {
      setBusy(false);
    }
  };
  if (catalogue.data === undefined) return <p class="muted">Loading…</p>;
  return (
    <form class="stacked" onSubmit={submit}>
      <label for="endpoint-url">URL</label>
      <input id="endpoint-url" name="url" type="url" required defaultValue={endpoint?.url ?? ''} placeholder="https://example.com/webhooks" />
      {endpoint ? (
        <p>
          <strong>Plugin</strong>: {endpoint.plugin ?? 'core'} <span class="hint">(chosen at creation: it fixes the wire format)</span>
        </p>
      ) : (
        <>
          <label for="endpoint-plugin">Plugin</label>
          <select id="endpoint-plugin" aria-describedby="endpoint-plugin-hint" value={plugin} onChange={(e) => setPlugin(e.currentTarget.value)}>
            <option value="">core (events published to the API)</option>
            {plugins.map((key) => (
              <option value={key}>{key}</option>
            ))}
          </select>
          <p id="endpoint-plugin-hint" class="hint">
            Whose events the endpoint receives, in that plugin's wire format.
          </p>
        </>
      )}
      <EventTypePicker key={plugin} catalogue={catalogue.data} plugin={plugin} chosen={endpoint?.eventTypes ?? []} />
      <label for="endpoint-description">Description</label>
      <input id="endpoint-description" name="description" defaultValue={endpoint?.description ?? ''} />
      <label for="endpoint-headers">Custom headers</label>
      <textarea id="endpoint-headers" name="headers" rows={3} aria-describedby="endpoint-headers-hint" spellcheck={false} defaultValue={initialHeaders} />
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
      <Loading loaded={loaded}>
        {(endpoint) => (
          <OfTenant tenant={endpoint.tenant} what={`Endpoint ${endpoint.url}`}>
            <EndpointForm
              endpoint={endpoint}
              onSaved={(saved) => {
                announce(`Endpoint ${saved.url} saved.`);
                navigate(endpointHref(saved.id));
              }}
            />
          </OfTenant>
        )}
      </Loading>
    </View>
  );
}
