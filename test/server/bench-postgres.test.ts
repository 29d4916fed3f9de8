import path from 'node:path';
import { Client } from 'pg';
import { ensureBuilt, ROOT } from '../helpers/built-service';
import { describeWithPostgresBinaries } from '../helpers/pg-cluster';

/** The benchmark's own PostgreSQL server (bench/lib/pg-cluster.js) and what the benchmark reads of it. */
interface BenchCluster {
  url: string;
  stop(): Promise<void>;
}
interface BenchDatabase {
  backendPids(): Promise<number[]>;
  statements(): Promise<number | null>;
  serviceEnv: Record<string, string>;
  drop(): Promise<void>;
}
const { startBenchCluster, affinityOf } = require(path.join(ROOT, 'bench', 'lib', 'pg-cluster')) as {
  startBenchCluster(options: { core?: number }): Promise<BenchCluster>;
  affinityOf(pid: number): string;
};
const { freshDatabase } = require(path.join(ROOT, 'bench', 'lib', 'databases')) as {
  freshDatabase(kind: 'postgres', name: string, seed: object, options: { adminUrl: string }): Promise<BenchDatabase>;
};

/**
 * `npm run bench` charges PostgreSQL's work to the servers' core by starting a server of its own
 * pinned there, and counts statements with pg_stat_statements. No timing: only that the pinning
 * reaches every backend and that the count is of this database's statements.
 */
// It starts a server of its own, so only the SQLite half of the suite runs it (jest.config.js).
describeWithPostgresBinaries("the benchmark's PostgreSQL server (bench/lib/pg-cluster.js)", () => {
  let cluster: BenchCluster;
  let db: BenchDatabase;
  beforeAll(async () => {
    ensureBuilt();
    cluster = await startBenchCluster({ core: 0 });
    db = await freshDatabase('postgres', 'pinning', {}, { adminUrl: cluster.url });
  }, 180_000);
  afterAll(async () => {
    await db?.drop();
    await cluster?.stop();
  });

  test('when a client connects, then its backend runs on the pinned core only, and its statements are counted', async () => {
    const client = new Client({ connectionString: db.serviceEnv.DATABASE_URL });
    await client.connect();
    try {
      const before = await db.statements();
      await client.query('BEGIN');
      await client.query('SELECT count(*) FROM orders WHERE user_id = $1', [1]);
      await client.query('COMMIT');
      const after = await db.statements();
      const pids = await db.backendPids();

      expect(pids.length).toBeGreaterThanOrEqual(1);
      expect(pids.map(affinityOf)).toEqual(pids.map(() => '0'));
      expect(after! - before!).toBe(3);
    } finally {
      await client.end();
    }
  }, 60_000);
});
