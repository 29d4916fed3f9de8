import { InitialSchema1764150000000 } from './1764150000000-initial-schema';
import { OrderRules1764170000000 } from './1764170000000-order-rules';

/** Every migration, oldest first; listed explicitly so that compiled and ts-jest runs load the same set. */
export const migrations = [InitialSchema1764150000000, OrderRules1764170000000];
