import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { RetentionIndexes1764900000000 } from './1764900000000-retention-indexes';

export const MIGRATIONS = [InitialSchema1763900000000, RetentionIndexes1764900000000];
