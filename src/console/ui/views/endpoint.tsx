import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Endpoint } from '../api';
import { ActionButton, Facts, Loading, localInputValue, OfTenant, StatusBadge, Time, useLoad, View } from '../components';
import { announce, clearFeedback, reportError } from '../feedback';
import { HealthChart } from '../health-chart';
import { href, navigate } from '../router';
import { DeliveryTable } from './deliveries';
import { endpointState, SecretOnce } from './endpoints';

/** One endpoint: facts, health over 24 h, actions, and its latest deliveries. */
export function EndpointView({ id }: { id: string }) {
  const endpoint = useLoad(() => api.endpoint(id), [id]);
  const stats = useLoad(() => api.endpointStats(id), [id]);
  const deliveries = useLoad(() => api.deliveries({ endpointId: id, limit: 10 }), [id]);
  const [secret, setSecret] = useState<string | null>(null);
  const refresh = () => {
    endpoint.reload();
    stats.reload();
    deliveries.reload();
  };
  return (
    <View title={endpoint.data ? `Endpoint ${endpoint.data.url}` : 'Endpoint'}>
      <Loading loaded={endpoint}>
        {(e) => (
          <OfTenant tenant={e.tenant} what={`Endpoint ${e.url}`}>
            {e.enabled || !e.disabledReason ? null : (
              <div class="notice" id="auto-disabled">
                <p>
                  <strong>The gateway disabled this endpoint</strong>: {e.disabledReason}.
                </p>
                <p>Its new deliveries are held, neither sent nor dropped; enabling it sends them.</p>
              </div>
            )}
            <Facts
              id="endpoint-facts"
              facts={[
                ['State', <StatusBadge status={endpointState(e)} />],
                ['Disabled because', e.enabled ? '—' : (e.disabledReason ?? 'disabled by its owner')],
                ['Id', <span class="mono">{e.id}</span>],
                ['Tenant', e.tenant],
                ['Plugin', e.plugin ?? 'core'],
                ['Event types', e.eventTypes.length ? e.eventTypes.join(', ') : 'all'],
                ['Description', e.description ?? '—'],
                ['Custom headers', Object.keys(e.headers).length ? Object.keys(e.headers).join(', ') : 'none'],
                ['Created', <Time iso={e.createdAt} />],
              ]}
            />
            <h3>Health</h3>
            <Loading loaded={stats}>{(s) => <HealthChart stats={s} />}</Loading>
            {secret ? <SecretOnce secret={secret} label={`New signing secret of ${e.url}`} /> : null}
            <Actions endpoint={e} onSecret={setSecret} refresh={refresh} />
            <h3>Latest deliveries</h3>
            <Loading loaded={deliveries}>
              {(page) => (
                <>
                  <DeliveryTable caption={`Latest ${page.data.length} deliveries of this endpoint`} deliveries={page.data} />
                  <p>
                    <a href={href('deliveries', { endpointId: id })}>Every delivery of this endpoint</a>
                  </p>
                </>
              )}
            </Loading>
          </OfTenant>
        )}
      </Loading>
    </View>
  );
}

function Actions({ endpoint: e, onSecret, refresh }: { endpoint: Endpoint; onSecret: (secret: string) => void; refresh: () => void }) {
  return (
    <div class="panel">
      <h3>Actions</h3>
      <div class="actions">
        <a class="button" href={href(`endpoints/${encodeURIComponent(e.id)}/edit`)}>
          Edit endpoint
        </a>
        {e.enabled ? (
          <ActionButton label="Disable endpoint" run={async () => (await api.disable(e.id), 'Endpoint disabled: it matches no new events.')} then={refresh} />
        ) : (
          <ActionButton label="Enable endpoint" run={async () => (await api.enable(e.id), 'Endpoint enabled; held deliveries are being sent.')} then={refresh} />
        )}
        <ActionButton
          label="Rotate secret"
          run={async () => {
            const rotated = await api.rotateSecret(e.id);
            onSecret(rotated.secret);
            return rotated.previousSecretExpiresAt ? `Secret rotated; the previous one still signs until ${new Date(rotated.previousSecretExpiresAt).toLocaleString()}.` : 'Secret rotated.';
          }}
        />
        <ActionButton label="Send test event" run={async () => `Test event ${(await api.sendTest(e.id)).id} queued for this endpoint.`} then={refresh} />
      </div>
      <RecoverForm endpoint={e} refresh={refresh} />
      <DeleteEndpoint endpoint={e} />
    </div>
  );
}

function RecoverForm({ endpoint: e, refresh }: { endpoint: Endpoint; refresh: () => void }) {
  const [since, setSince] = useState(() => localInputValue(new Date(Date.now() - 24 * 3600 * 1000)));
  const submit = async (event: Event) => {
    event.preventDefault();
    clearFeedback();
    try {
      const { recovered } = await api.recover(e.id, new Date(since).toISOString());
      announce(`Recovered ${recovered} failed or dead deliveries.`);
      refresh();
    } catch (err) {
      reportError(err);
    }
  };
  return (
    <form class="inline" onSubmit={submit}>
      <label for="recover-since">Re-send failed and dead deliveries created since</label>
      <input id="recover-since" type="datetime-local" required value={since} onInput={(ev) => setSince(ev.currentTarget.value)} />
      <button type="submit">Recover</button>
    </form>
  );
}

/** Delete asks first: the confirmation names the endpoint and takes the focus. */
function DeleteEndpoint({ endpoint: e }: { endpoint: Endpoint }) {
  const [confirming, setConfirming] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);
  const remove = async () => {
    try {
      await api.deleteEndpoint(e.id);
      announce(`Endpoint ${e.url} deleted.`);
      navigate(href('endpoints'));
    } catch (err) {
      reportError(err);
    }
  };
  if (!confirming)
    return (
      <p>
        <button type="button" class="danger" onClick={() => setConfirming(true)}>
          Delete endpoint
        </button>
      </p>
    );
  return (
    <div class="confirm" role="group" aria-labelledby="confirm-delete">
      <p id="confirm-delete">Delete {e.url}? It receives no more events; its past deliveries stay in the log.</p>
      <button type="button" class="danger" ref={confirmButton} onClick={remove}>
        Yes, delete endpoint
      </button>{' '}
      <button type="button" onClick={() => setConfirming(false)}>
        Cancel
      </button>
    </div>
  );
}
