import { loadConfig } from './config';
import { runMigrations } from './db/run-migrations';
import { createLogger } from './http/logger';

/** `npm run migrate`: applies pending migrations and exits, for a deploy step. */
async function main(): Promise<void> {
  const config = loadConfig();
  await runMigrations(config.database, createLogger(config.logLevel));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
