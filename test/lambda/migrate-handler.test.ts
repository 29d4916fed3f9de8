import { migrations } from '../../service/db/migrations';
import { createMigrateHandler } from '../../service/serverless/migrate-handler';
import { onPostgres, openTestDatabase, type TestDatabase } from '../helpers/test-database';

describe('the migration function', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase({ migrate: false, seed: false, persistent: true });
  });
  afterAll(() => database?.dispose());

  const silent = { write: () => undefined };

  test('when the deployment invokes it on an empty database, then it applies every migration; invoked again, nothing', async () => {
    // GIVEN the function's environment (on PostgreSQL, as deployed: a pool of two, the lock holder and the runner)
    const handler = createMigrateHandler({ ...database.env, ...(onPostgres && { DB_POOL_SIZE: '2' }) }, { logDestination: silent });

    // WHEN it is invoked twice
    const first = await handler();
    const second = await handler();

    // THEN the first run applied them all, in order, and the second found nothing to do
    expect(first.applied).toEqual(migrations.map((Migration) => new Migration().name));
    expect(second.applied).toEqual([]);
    const [row] = await database.query<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM migrations');
    expect(Number(row.n)).toBe(migrations.length);
  });

  test('when its settings are wrong, then it fails, so that the deployment fails', async () => {
    const handler = createMigrateHandler({ ...database.env, DB_STATEMENT_TIMEOUT_MS: 'soon' }, { logDestination: silent });

    await expect(handler()).rejects.toThrow(/DB_STATEMENT_TIMEOUT_MS/);
  });
});
