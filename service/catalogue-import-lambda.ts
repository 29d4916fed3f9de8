/**
 * The catalogue-import function's entry (infra/lib/constructs/catalogue-replica.ts): S3 invokes it
 * for every catalogue document replicated into the region's bucket. A stand-in until
 * service/catalogue/catalogue-import.ts (importCatalogue) lands: it fails every invocation, so
 * nothing is imported half-way, and the failure shows in the function's log and error metric.
 */
export const handler = async (): Promise<never> => {
  throw new Error('The catalogue import is not in this build yet: it needs service/catalogue/catalogue-import.ts (issue 21).');
};
