import type { S3Event } from 'aws-lambda';
import { type CatalogueImport, importCatalogue } from '../catalogue/catalogue-import';
import type { Database } from '../db/database';
import { openDatabase } from '../db/open-database';
import type { Env } from '../env-reader';
import { type FunctionOptions, lazily, readFunctionSettings } from './function-container';

/** Reads one version of an S3 object as text. */
export type ObjectReader = (object: { bucket: string; key: string; versionId: string | undefined }) => Promise<string>;

export interface CatalogueImportHandlerOptions extends FunctionOptions {
  /** How the document is read (default: S3 through the runtime's AWS SDK). */
  readonly readObject?: ObjectReader;
}

export type CatalogueImportHandler = ((event: S3Event) => Promise<CatalogueImport[]>) & { close(): Promise<void> };

/**
 * The catalogue import of a regional deployment (docs/regions.md): S3 invokes it when a catalogue
 * document is replicated into the region's bucket, and it loads that very version of the document
 * into the region's database with importCatalogue, in one transaction. A document that cannot be
 * read or is invalid fails the invocation (Lambda retries it twice, then the import alarm fires);
 * the region keeps its previous catalogue.
 */
export function createCatalogueImportHandler(env: Env, options: CatalogueImportHandlerOptions = {}): CatalogueImportHandler {
  const settings = lazily(() => readFunctionSettings(env, options));
  const database = lazily(async (): Promise<Database> => {
    const { config, logger } = await settings.get();
    return openDatabase(config.database, logger);
  });
  const readObject = options.readObject ?? readFromS3;

  const handler = async (event: S3Event): Promise<CatalogueImport[]> => {
    const { logger } = await settings.get();
    const results: CatalogueImport[] = [];
    for (const record of event.Records) {
      // S3 event keys are URL-encoded, with spaces as '+'.
      const object = { bucket: record.s3.bucket.name, key: decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')), versionId: record.s3.object.versionId };
      const text = await readObject(object);
      let document: unknown;
      try {
        document = JSON.parse(text);
      } catch (error) {
        throw new Error(`s3://${object.bucket}/${object.key} is not JSON: ${(error as Error).message}`);
      }
      const result = await importCatalogue(await database.get(), document);
      logger.info({ ...object, ...result }, 'catalogue imported');
      results.push(result);
    }
    return results;
  };
  const close = async () => {
    await (await database.forget())?.close();
  };
  return Object.assign(handler, { close });
}

/** The Lambda runtime ships the AWS SDK v3, so the bundle leaves it out and it is loaded only here. */
async function readFromS3({ bucket, key, versionId }: Parameters<ObjectReader>[0]): Promise<string> {
  const { S3Client, GetObjectCommand } = await import('@aws-sdk/client-s3');
  const client = new S3Client({});
  try {
    const { Body } = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
    if (!Body) throw new Error(`s3://${bucket}/${key} has no body`);
    return await Body.transformToString('utf8');
  } finally {
    client.destroy();
  }
}
