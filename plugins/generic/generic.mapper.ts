import { MASKED_VALUE, type EndpointView, type NewEndpoint, type PluginEvent } from '../../src/sdk';
import { GenericAuth, GenericWebhookInput, GenericWebhookView } from './generic.schemas';

export const ALERT_EVENT_PREFIX = 'alert.';

/** The unified endpoint fields for a validated body: credentials go to the encrypted `auth`, never to metadata. */
export function toEndpointInput(input: GenericWebhookInput): Required<Pick<NewEndpoint, 'url' | 'metadata' | 'auth'>> {
  return { url: input.endpoint, metadata: { isAlertHook: input.isAlertHook }, auth: { ...input.auth } };
}

export function isAlertHook(endpoint: EndpointView): boolean {
  return endpoint.metadata.isAlertHook === true;
}

/** The hook's credentials as stored; an endpoint made through /v1 has none. */
export function authOf(endpoint: EndpointView): GenericAuth {
  return (endpoint.auth as GenericAuth | null) ?? { authType: 'none' };
}

export function toGenericWebhookView(endpoint: EndpointView): GenericWebhookView {
  const auth = authOf(endpoint);
  return {
    id: endpoint.id,
    isAlertHook: isAlertHook(endpoint),
    endpoint: endpoint.url,
    authType: auth.authType,
    ...maskedCredentials(auth),
    enabled: endpoint.enabled,
    createdAt: new Date(endpoint.createdAt).toISOString(),
    updatedAt: new Date(endpoint.updatedAt).toISOString(),
  };
}

function maskedCredentials(auth: GenericAuth): Partial<GenericWebhookView> {
  switch (auth.authType) {
    case 'none':
      return {};
    case 'basic':
      return { userName: MASKED_VALUE, password: MASKED_VALUE };
    case 'header':
      return { token: MASKED_VALUE, headerName: auth.headerName };
    case 'querystring':
      return { token: MASKED_VALUE, queryParam: auth.queryParam };
    default:
      return { token: MASKED_VALUE };
  }
}

/** `alert.*` events go to the tenant's alert hook, every other type to its data hook. */
export function routesTo(endpoint: EndpointView, event: Pick<PluginEvent, 'type'>): boolean {
  return event.type.startsWith(ALERT_EVENT_PREFIX) === isAlertHook(endpoint);
}

export function hookKind(alert: boolean): string {
  return alert ? 'an alert webhook' : 'a data webhook';
}
