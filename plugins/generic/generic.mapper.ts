import type { EndpointInput, EndpointView, PluginEvent } from '../../src/sdk';
import { AuthType, GenericAuth, GenericWebhookInput } from './generic-webhook.input';

export const MASK = '********';
export const ALERT_EVENT_PREFIX = 'alert.';

/** One hook as `GET /generic/webhooks` shows it: credentials masked, never returned. */
export interface GenericWebhookView {
  id: string;
  isAlertHook: boolean;
  endpoint: string;
  authType: AuthType;
  userName?: string;
  password?: string;
  token?: string;
  headerName?: string;
  queryParam?: string;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The unified endpoint fields for a validated body: credentials go to the encrypted `auth`, never to metadata. */
export function toEndpointInput(input: GenericWebhookInput): Required<Pick<EndpointInput, 'url' | 'metadata' | 'auth'>> {
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
      return { userName: MASK, password: MASK };
    case 'header':
      return { token: MASK, headerName: auth.headerName };
    case 'querystring':
      return { token: MASK, queryParam: auth.queryParam };
    default:
      return { token: MASK };
  }
}

/** `alert.*` events go to the tenant's alert hook, every other type to its data hook. */
export function routesTo(endpoint: EndpointView, event: Pick<PluginEvent, 'type'>): boolean {
  return event.type.startsWith(ALERT_EVENT_PREFIX) === isAlertHook(endpoint);
}

export function hookKind(alert: boolean): string {
  return alert ? 'an alert webhook' : 'a data webhook';
}
