/** The unified API's scopes. Plugins declare their own in @WebhookPlugin({ scopes }). */
export const Scope = {
  WebhooksRead: 'webhooks:read',
  WebhooksWrite: 'webhooks:write',
  EventsPublish: 'events:publish',
  EventsPublishAny: 'events:publish:any',
  DeliveriesRead: 'deliveries:read',
  DeliveriesWrite: 'deliveries:write',
  AuditRead: 'audit:read',
  Admin: 'admin',
} as const;

export const CORE_SCOPES: Record<string, string> = {
  [Scope.WebhooksRead]: 'Read endpoints',
  [Scope.WebhooksWrite]: 'Create, change and delete endpoints',
  [Scope.EventsPublish]: "Publish events for the token's own tenant",
  [Scope.EventsPublishAny]: 'Publish events for any tenant (trusted provider backends)',
  [Scope.DeliveriesRead]: 'Read deliveries and attempts',
  [Scope.DeliveriesWrite]: 'Retry and recover deliveries',
  [Scope.AuditRead]: 'Read the audit log',
  [Scope.Admin]: 'Everything, in every tenant',
};

export type OrgRole = 'OWNER' | 'ADMIN' | 'MEMBER';
