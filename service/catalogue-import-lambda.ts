import { createCatalogueImportHandler } from './serverless/catalogue-import-handler';

/**
 * A regional deployment's catalogue import (infra/lib/constructs/catalogue-replica.ts): S3 invokes
 * it for every catalogue document replicated into the region's bucket (see
 * serverless/catalogue-import-handler.ts and docs/regions.md).
 */
export const handler = createCatalogueImportHandler(process.env);
