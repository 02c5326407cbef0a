import { useState } from 'preact/hooks';
import { api, ApiError, type Delivery } from '../api';
import { DataTable, ListPage, StatusBadge, Time, View, type FilterField } from '../components';
import { announce, reportError } from '../feedback';
import { maskCredentials } from '../mask';
import { href, navigate, type Route } from '../router';
import { STATUSES } from './overview';

export const deliveryHref = (id: string) => href(`deliveries/${encodeURIComponent(id)}`);

/** Rows of deliveries, linking to each delivery, its event and its endpoint. */
export function DeliveryTable({ caption, deliveries }: { caption: string; deliveries: Delivery[] }) {
  return (
    <DataTable
      caption={caption}
      columns={['Delivery', 'Status', 'Event type', 'Attempts', 'Last result', 'Created', 'Event', 'Endpoint']}
      rows={deliveries.map((d) => (
        <tr>
          <td>
            <a href={deliveryHref(d.id)} class="mono">
              {d.id}
            </a>
          </td>
          <td>
            <StatusBadge status={d.status} />
          </td>
          <td>{d.eventType}</td>
          <td>{d.attemptCount}</td>
          <td>{d.lastStatusCode ?? (d.lastError ? maskCredentials(d.lastError) : '—')}</td>
          <td>
            <Time iso={d.createdAt} />
          </td>
          <td>
            <a href={href(`events/${encodeURIComponent(d.eventId)}`)} aria-label={`Event ${d.eventId}`}>
              event
            </a>
          </td>
          <td>
            <a href={href(`endpoints/${encodeURIComponent(d.endpointId)}`)} aria-label={`Endpoint ${d.endpointId}`}>
              endpoint
            </a>
          </td>
        </tr>
      ))}
    />
  );
}

/**
 * Search by id: an event id lists that event's deliveries; otherwise the id is looked up as a
 * delivery id (asking for the event first spares a 404 in the common case).
 */
function SearchById() {
  const [value, setValue] = useState('');
  const submit = async (event: Event) => {
    event.preventDefault();
    const id = value.trim();
    if (!id) return;
    try {
      const ofEvent = await api.deliveries({ eventId: id, limit: 1 });
      if (ofEvent.data.length) return navigate(href('deliveries', { eventId: id }));
      await api.delivery(id);
      navigate(deliveryHref(id));
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 400)) announce(`No event or delivery has the id ${id}.`);
      else reportError(err);
    }
  };
  return (
    <form class="search" role="search" aria-label="Find by id" onSubmit={submit}>
      <label for="search-id">Event id or delivery id</label>
      <input id="search-id" value={value} onInput={(e) => setValue(e.currentTarget.value)} autocomplete="off" spellcheck={false} />
      <button type="submit">Find</button>
    </form>
  );
}

const FILTERS: FilterField[] = [
  { name: 'status', label: 'Status', options: STATUSES },
  { name: 'endpointId', label: 'Endpoint id' },
  { name: 'eventId', label: 'Event id' },
  { name: 'eventType', label: 'Event type' },
  { name: 'plugin', label: 'Plugin' },
  { name: 'since', label: 'Created since', type: 'datetime-local' },
  { name: 'until', label: 'Created until', type: 'datetime-local' },
];

/** Every delivery of every endpoint the token may see, newest first, filtered by the URL's parameters. */
export function DeliveriesView({ route }: { route: Route }) {
  return (
    <View title="Deliveries">
      <SearchById />
      <ListPage route={route} filters={FILTERS} load={api.deliveries} noun="deliveries" table={(deliveries, caption) => <DeliveryTable caption={caption} deliveries={deliveries} />} />
    </View>
  );
}
