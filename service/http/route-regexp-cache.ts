/**
 * express-openapi-validator 5.6 finds the operation of each request by compiling every documented
 * path with path-to-regexp's `pathToRegexp()` again, in order, until one matches
 * (middlewares/openapi.metadata.js, lookupRoute). Profiling the service put that at about 7% of
 * its CPU and 16% of the memory it allocates per request. The paths and options never change, so
 * the compiled expressions are kept: the validator reads the module's export at call time, and
 * this replaces it, once, with a cached version. Nothing else in the process calls it per request
 * (express's router compiles its routes once, through `match`). Remove when the validator caches.
 */
const MAX_CACHED = 1000;
type PathToRegexp = (path: unknown, options?: Record<string, unknown>) => { regexp: RegExp; keys: unknown[] };
const CACHED = Symbol.for('order-service.cached-path-to-regexp');

export function cacheRouteRegexps(): void {
  const pathToRegexpModule = validatorsPathToRegexp();
  const original = pathToRegexpModule.pathToRegexp;
  if (original[CACHED] || !Object.getOwnPropertyDescriptor(pathToRegexpModule, 'pathToRegexp')?.writable) return;

  const cache = new Map<string, ReturnType<PathToRegexp>>();
  const cached: PathToRegexp & { [CACHED]?: true } = (path, options) => {
    if (typeof path !== 'string' || options?.encodePath !== undefined) return original(path, options);
    // Every other option pathToRegexp reads (path-to-regexp 8), and `strict`, which the validator passes.
    const o = options ?? {};
    const key = `${path}\u0000${o.sensitive}\u0000${o.strict}\u0000${o.end}\u0000${o.trailing}\u0000${o.delimiter}`;
    let compiled = cache.get(key);
    if (!compiled) {
      compiled = original(path, options);
      // The validator only reads them: one frozen copy serves every request.
      Object.freeze(compiled.keys);
      if (cache.size < MAX_CACHED) cache.set(key, compiled);
    }
    return compiled;
  };
  cached[CACHED] = true;
  pathToRegexpModule.pathToRegexp = cached;
}

/**
 * The copy the validator loads, and its module object itself (not a namespace copy), so that
 * replacing the export reaches the validator. In a bundle (the Lambda's) there is no package to
 * resolve, and the bundler has resolved every `require('path-to-regexp')` to one shared module.
 */
function validatorsPathToRegexp(): { pathToRegexp: PathToRegexp & { [CACHED]?: true } } {
  let validatorDir: string;
  try {
    validatorDir = require.resolve('express-openapi-validator');
  } catch {
    return require('path-to-regexp');
  }
  return require(require.resolve('path-to-regexp', { paths: [validatorDir] }));
}
