import type { DataSource } from 'typeorm';
import { InitialSchema1764150000000 } from './1764150000000-initial-schema';
import { UserExternalId1764160000000 } from './1764160000000-user-external-id';
import { OrderRules1764170000000 } from './1764170000000-order-rules';
import { OutboxRelay1764200000000 } from './1764200000000-outbox-relay';
import { EmailNotifications1764210000000 } from './1764210000000-email-notifications';
import { SplitShipments1764220000000 } from './1764220000000-split-shipments';
import { RecentWriters1764230000000 } from './1764230000000-recent-writers';
import { Marketplaces1764240000000 } from './1764240000000-marketplaces';
import { CatalogueVersion1764250000000 } from './1764250000000-catalogue-version';

/** Every migration, oldest first; listed explicitly so that compiled and ts-jest runs load the same set. */
export const migrations = [
  InitialSchema1764150000000,
  UserExternalId1764160000000,
  OrderRules1764170000000,
  OutboxRelay1764200000000,
  EmailNotifications1764210000000,
  SplitShipments1764220000000,
  RecentWriters1764230000000,
  Marketplaces1764240000000,
  CatalogueVersion1764250000000,
];

/** Applies the pending migrations, all in one transaction; returns the names it applied. */
export async function applyMigrations(dataSource: DataSource): Promise<string[]> {
  const applied = await dataSource.runMigrations({ transaction: 'all' });
  return applied.map((migration) => migration.name);
}
