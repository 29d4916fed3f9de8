/**
 * What the Lambda bundles hold in place of packages that their code requires but never runs
 * (scripts/bundle-function.mjs aliases them here), so that a cold start neither compiles nor
 * evaluates them. Requiring it gives an empty module; using anything of it throws.
 */
const leftOut: Record<string, unknown> = new Proxy(
  {},
  {
    get(_target, name) {
      // Asked by every CommonJS-to-ESM interop helper on require: not an ES module.
      if (name === '__esModule' || typeof name === 'symbol') return undefined;
      throw new Error(`A package left out of this Lambda bundle was used (its export ${name}): see LEFT_OUT_PACKAGES in scripts/bundle-function.mjs`);
    },
  },
);

export = leftOut;
