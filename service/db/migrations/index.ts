import { InitialSchema1764150000000 } from './1764150000000-initial-schema';
import { UserExternalId1764160000000 } from './1764160000000-user-external-id';

/** Every migration, oldest first; listed explicitly so that compiled and ts-jest runs load the same set. */
export const migrations = [InitialSchema1764150000000, UserExternalId1764160000000];
