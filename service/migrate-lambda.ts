import { createMigrateHandler } from './serverless/migrate-handler';

/** The serverless tier's migration function, which the deployment runs (see serverless/migrate-handler.ts). */
export const handler = createMigrateHandler(process.env);
