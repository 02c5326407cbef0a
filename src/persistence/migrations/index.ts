import { InitialSchema1763900000000 } from './1763900000000-initial-schema';

export const MIGRATIONS = [InitialSchema1763900000000];
