import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { RetentionIndexes1764900000000 } from './1764900000000-retention-indexes';
import { EventTraceContext1765000000000 } from './1765000000000-event-trace-context';
import { PluginRecords1765100000000 } from './1765100000000-plugin-records';
import { PluginGroups1765200000000 } from './1765200000000-plugin-groups';
import { ConsoleAttemptDetail1765300000000 } from './1765300000000-console-attempt-detail';
import { IdempotentResponses1765400000000 } from './1765400000000-idempotent-responses';
import { EndpointChanges1765500000000 } from './1765500000000-endpoint-changes';

export const MIGRATIONS = [
  InitialSchema1763900000000,
  RetentionIndexes1764900000000,
  EventTraceContext1765000000000,
  PluginRecords1765100000000,
  PluginGroups1765200000000,
  ConsoleAttemptDetail1765300000000,
  IdempotentResponses1765400000000,
  EndpointChanges1765500000000,
];
