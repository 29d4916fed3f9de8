/**
 * What the Lambda bundles hold in place of each TypeORM driver but PostgreSQL's
 * (scripts/bundle-function.mjs): a module whose every export is a class that throws when
 * constructed, so that TypeORM's index and DriverFactory, which require them all, still load.
 */
function leftOutDriver(name: string): Record<string, unknown> {
  return new Proxy(
    {},
    {
      get(_target, exported) {
        // Asked by every CommonJS-to-ESM interop helper on require: not an ES module.
        if (exported === '__esModule' || typeof exported === 'symbol') return undefined;
        return class {
          constructor() {
            throw new Error(`${name} is left out of this Lambda bundle, which runs PostgreSQL only (scripts/bundle-function.mjs)`);
          }
        };
      },
    },
  );
}

export = leftOutDriver;
