import { api, type DeliveryDetail } from '../api';
import { ActionButton, DataTable, Facts, Loading, ms, OfTenant, StatusBadge, Time, useLoad, View } from '../components';
import { maskCredentials } from '../mask';
import { href } from '../router';

const attemptHref = (deliveryId: string, key: string) => href(`deliveries/${encodeURIComponent(deliveryId)}/attempts/${encodeURIComponent(key)}`);

/** After a retry, follows the delivery until the new attempt has a result (bounded: about 20 s). */
async function retryAndFollow(id: string, attemptsBefore: number): Promise<string> {
  await api.retry(id);
  for (let i = 0; i < 40; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await api.delivery(id);
    if (now.attemptCount > attemptsBefore && now.status !== 'pending') return `Delivery ${id} ${now.status} after the retry.`;
  }
  return `Retry of delivery ${id} queued; no result yet.`;
}

/** One delivery: its facts, every attempt, and Retry. */
export function DeliveryView({ id }: { id: string }) {
  const loaded = useLoad(() => api.delivery(id), [id]);
  return (
    <View title={`Delivery ${id}`}>
      <Loading loaded={loaded}>
        {(d) => (
          <OfTenant tenant={d.tenant} what={`Delivery ${d.id}`}>
            <DeliveryFacts delivery={d} />
            <p>
              <ActionButton label="Retry delivery" run={() => retryAndFollow(d.id, d.attemptCount)} then={loaded.reload} />
            </p>
            <DataTable
              caption="Attempts"
              columns={['#', 'Started', 'Status code', 'Duration', 'Error', 'Detail']}
              empty="No attempt yet."
              rows={d.attempts.map((a, i) => (
                <tr>
                  <td>{i + 1}</td>
                  <td>
                    <Time iso={a.startedAt} />
                  </td>
                  <td>{a.statusCode ?? '—'}</td>
                  <td>{ms(a.durationMs)}</td>
                  <td>{a.error ? maskCredentials(a.error) : '—'}</td>
                  <td>
                    <a href={attemptHref(d.id, a.id)}>Attempt {i + 1} detail</a>
                  </td>
                </tr>
              ))}
            />
          </OfTenant>
        )}
      </Loading>
    </View>
  );
}

function DeliveryFacts({ delivery: d }: { delivery: DeliveryDetail }) {
  return (
    <Facts
      id="delivery-facts"
      facts={[
        ['Status', <StatusBadge status={d.status} />],
        ['Event', <a href={href(`events/${encodeURIComponent(d.eventId)}`)}>{d.eventType}</a>],
        ['Endpoint', <a href={href(`endpoints/${encodeURIComponent(d.endpointId)}`)}>{d.endpointId}</a>],
        ['Attempts', d.attemptCount],
        ['Next attempt', <Time iso={d.nextAttemptAt} />],
        ['Created', <Time iso={d.createdAt} />],
        ['Tenant', d.tenant],
      ]}
    />
  );
}

const Headers = ({ caption, headers }: { caption: string; headers: Record<string, string> }) => (
  <DataTable
    caption={caption}
    columns={['Header', 'Value']}
    rows={Object.entries(headers).map(([name, value]) => (
      <tr>
        <td class="mono">{name}</td>
        <td class="mono">{value}</td>
      </tr>
    ))}
  />
);

const Body = ({ label, text, missing }: { label: string; text: string | null; missing: string }) =>
  text === null || text === '' ? (
    <p class="muted">{missing}</p>
  ) : (
    <pre class="body" tabIndex={0} aria-label={label}>
      {text}
    </pre>
  );

/** One attempt as it went over the wire: the request as sent (secrets masked by the API) and the response. */
export function AttemptView({ deliveryId, attemptId }: { deliveryId: string; attemptId: string }) {
  const loaded = useLoad(() => api.delivery(deliveryId), [deliveryId]);
  const index = loaded.data ? loaded.data.attempts.findIndex((a) => a.id === attemptId) : -1;
  return (
    <View title={index >= 0 ? `Attempt ${index + 1} of delivery ${deliveryId}` : 'Attempt'}>
      <p>
        <a href={href(`deliveries/${encodeURIComponent(deliveryId)}`)}>Back to delivery {deliveryId}</a>
      </p>
      <Loading loaded={loaded}>
        {(d) => {
          const attempt = d.attempts[index];
          if (!attempt) return <p>Delivery {deliveryId} has no attempt {attemptId}.</p>;
          return (
            <OfTenant tenant={d.tenant} what={`Delivery ${d.id}`}>
              <Facts
                id="attempt-facts"
                facts={[
                  ['Attempt', `${index + 1} of ${d.attempts.length}`],
                  ['Started', <Time iso={attempt.startedAt} />],
                  ['Duration', ms(attempt.durationMs)],
                  ['Status code', attempt.statusCode ?? '—'],
                  ['Error', attempt.error ? maskCredentials(attempt.error) : '—'],
                ]}
              />
              <h3>Request</h3>
              {attempt.request ? (
                <>
                  <p class="mono wrap">
                    {attempt.request.method} {attempt.request.url}
                  </p>
                  <Headers caption="Request headers" headers={attempt.request.headers} />
                  <h4>Request body</h4>
                  <Body label="Request body" text={attempt.request.body} missing="The body can no longer be rebuilt exactly (the event changed or was purged)." />
                </>
              ) : (
                <p>No request recorded: nothing was sent (e.g. the SSRF guard refused the address), or the attempt predates request recording.</p>
              )}
              <h3>Response</h3>
              {attempt.response ? (
                <>
                  <p>Status {attempt.response.statusCode}</p>
                  <Headers caption="Response headers" headers={attempt.response.headers} />
                  <h4>Response body (first 4 KiB)</h4>
                  <Body label="Response body" text={attempt.response.body && maskCredentials(attempt.response.body)} missing="Empty body." />
                </>
              ) : (
                <p>No response{attempt.responseBody ? `: ${maskCredentials(attempt.responseBody)}` : '.'}</p>
              )}
            </OfTenant>
          );
        }}
      </Loading>
    </View>
  );
}
