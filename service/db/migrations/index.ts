import { InitialSchema1764150000000 } from './1764150000000-initial-schema';
import { UserExternalId1764160000000 } from './1764160000000-user-external-id';
import { OrderRules1764170000000 } from './1764170000000-order-rules';

/** Every migration, oldest first; listed explicitly so that compiled and ts-jest runs load the same set. */
export const migrations = [InitialSchema1764150000000, UserExternalId1764160000000, OrderRules1764170000000];
