/**
 * express-openapi-validator 5.6 compiles each operation's request schema with the whole document
 * beside it (`paths` and `components`, middlewares/openapi.request.validator.js), so that a `$ref`
 * in it resolves; Ajv walks all of that to collect ids before it compiles (json-schema-traverse,
 * every key), twice per operation. validatorDocument leaves no `$ref`, so the document adds no
 * code to the compiled validator, only the walk: about 25 ms of CPU, and its garbage, on each
 * operation's first request, a Lambda cold start's included. The validator reads the module's
 * export at call time; this replaces it, once, with one that leaves the document out of any
 * schema with no `$ref`. Remove when the validator stops embedding the document.
 */
type UseAjvCache = ((ajv: unknown, schema: Record<string, unknown>, cacheKey: string) => unknown) & { [ALONE]?: true };
const ALONE = Symbol.for('order-service.operation-schemas-alone');

export function compileOperationSchemasAlone(): void {
  // The module object itself (a bundle resolves this path to the same module as the validator's own require).
  const utilModule: { useAjvCache: UseAjvCache } = require('express-openapi-validator/dist/middlewares/util');
  const original = utilModule.useAjvCache;
  if (original[ALONE] || !Object.getOwnPropertyDescriptor(utilModule, 'useAjvCache')?.writable) return;

  const alone: UseAjvCache = (ajv, schema, cacheKey) => {
    const { paths, components, ...operation } = schema;
    return original(ajv, hasRef(operation) ? schema : operation, cacheKey);
  };
  alone[ALONE] = true;
  utilModule.useAjvCache = alone;
}

function hasRef(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(hasRef);
  return '$ref' in node || Object.values(node).some(hasRef);
}
