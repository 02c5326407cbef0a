import type { PluginEventType } from '../../src/sdk';

export const TIMBRIX_ROUTE_PREFIX = 'timbrix';

/** The seed's event catalogue: what `events` may list and what internal services may publish. */
export const TIMBRIX_EVENT_CATALOGUE: PluginEventType[] = [
  { type: 'organization.created', description: 'An organization was created' },
  { type: 'organization.updated', description: "An organization's details changed" },
  { type: 'organization.deleted', description: 'An organization was deleted' },
  { type: 'member.added', description: 'A user joined the organization' },
  { type: 'member.removed', description: 'A member left or was removed from the organization' },
  { type: 'member.role_updated', description: "A member's role (OWNER, ADMIN, MEMBER) changed" },
  { type: 'invite.created', description: 'Someone was invited to the organization' },
  { type: 'invite.accepted', description: 'An invitation was accepted' },
  { type: 'invite.cancelled', description: 'An invitation was cancelled' },
  { type: 'oauth_app.created', description: 'An OAuth application was registered for the organization' },
  { type: 'oauth_app.revoked', description: 'An OAuth application was revoked' },
  { type: 'webhook.created', description: 'A webhook was created in the organization (emitted by the gateway itself)' },
];

export const TIMBRIX_EVENT_TYPES: string[] = TIMBRIX_EVENT_CATALOGUE.map((e) => e.type);
