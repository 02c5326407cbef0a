import type { PluginEventType } from '../../src/sdk';

const SCOPE_BASE = 'https://purl.imsglobal.org/spec/caliper/v1p1/scope';

/** The Timeback Webhooks API's OAuth2 scopes (seed 000), spelled exactly as Caliper clients request them. */
export const CaliperScope = {
  Admin: `${SCOPE_BASE}/admin`,
  WebhookCreate: `${SCOPE_BASE}/webhook.create`,
  WebhookReadonly: `${SCOPE_BASE}/webhook.readonly`,
  EventCreate: `${SCOPE_BASE}/event.create`,
} as const;

export const CALIPER_SCOPES: Record<string, string> = {
  [CaliperScope.Admin]: 'Caliper admin: every /caliper operation',
  [CaliperScope.WebhookCreate]: 'Create, update, delete, activate and deactivate Caliper webhooks and write their filters (and read them)',
  [CaliperScope.WebhookReadonly]: 'Read Caliper webhooks and filters',
  [CaliperScope.EventCreate]: 'Send Caliper events (POST /caliper/events)',
};

/** Who may call what: each route lists the scopes of which any one suffices. */
export const READ_ACCESS = { scopes: [CaliperScope.WebhookReadonly, CaliperScope.WebhookCreate, CaliperScope.Admin] };
export const WRITE_ACCESS = { scopes: [CaliperScope.WebhookCreate, CaliperScope.Admin] };
export const INGEST_ACCESS = { scopes: [CaliperScope.EventCreate, CaliperScope.Admin] };

export const CALIPER_DATA_VERSIONS = ['http://purl.imsglobal.org/ctx/caliper/v1p1', 'http://purl.imsglobal.org/ctx/caliper/v1p2'] as const;

/**
 * The Caliper event types the gateway relays: the IMS Caliper 1.1 events, the ones 1.2 added,
 * and Timeback's two profile events. An event's `type` field is its hookgate event type.
 */
export const CALIPER_EVENT_TYPES: PluginEventType[] = [
  { type: 'Event', description: 'Generic Caliper event (any action on any entity)' },
  { type: 'AnnotationEvent', description: 'A person annotated a resource (Bookmarked, Highlighted, Shared, Tagged)' },
  { type: 'AssessmentEvent', description: 'An assessment was Started, Paused, Resumed, Restarted, Reset or Submitted' },
  { type: 'AssessmentItemEvent', description: 'An assessment item was Started, Skipped or Completed' },
  { type: 'AssignableEvent', description: 'An assignable resource was Activated, Deactivated, Started, Completed, Submitted or Reviewed' },
  { type: 'FeedbackEvent', description: 'Feedback was given on a resource (Caliper 1.2)' },
  { type: 'ForumEvent', description: 'A person Subscribed to or Unsubscribed from a forum' },
  { type: 'GradeEvent', description: 'A score was Graded' },
  { type: 'MediaEvent', description: 'A media object was played, paused, seeked, muted, resized...' },
  { type: 'MessageEvent', description: 'A message was Posted, or MarkedAsRead / MarkedAsUnread' },
  { type: 'NavigationEvent', description: 'A person NavigatedTo a resource' },
  { type: 'QuestionnaireEvent', description: 'A questionnaire was Started or Submitted (Caliper 1.2)' },
  { type: 'QuestionnaireItemEvent', description: 'A questionnaire item was Started, Completed or Skipped (Caliper 1.2)' },
  { type: 'ResourceManagementEvent', description: 'A resource was Created, Modified, Published, Archived, Deleted...' },
  { type: 'SearchEvent', description: 'A person Searched (Caliper 1.2)' },
  { type: 'SessionEvent', description: 'A person LoggedIn, LoggedOut, or the session TimedOut' },
  { type: 'SurveyEvent', description: 'A person OptedIn to or OptedOut of a survey (Caliper 1.2)' },
  { type: 'SurveyInvitationEvent', description: 'A survey invitation was Sent, Accepted or Declined (Caliper 1.2)' },
  { type: 'ThreadEvent', description: 'A thread was MarkedAsRead or MarkedAsUnread' },
  { type: 'ToolLaunchEvent', description: 'A tool was Launched or Returned from (Caliper 1.2)' },
  { type: 'ToolUseEvent', description: 'A person Used a tool' },
  { type: 'ViewEvent', description: 'A person Viewed a resource' },
  { type: 'ActivityEvent', description: 'Timeback profile: an activity was Completed, with metrics (xpEarned, questions...)' },
  { type: 'TimeSpentEvent', description: 'Timeback profile: active and inactive time spent in one window of an activity' },
];
