/**
 * Sample payloads for people: no validation reads them, and they are most of the document's
 * objects. (Descriptions stay: the OpenAPI schema requires some, and strings cost the walks nothing.)
 */
const EXAMPLES = new Set(['example', 'examples']);

/**
 * The contract as the validator needs it: every `$ref` (all of them point into the same document)
 * replaced by the object it names, shared rather than copied, and the examples left out. The
 * validator walks the whole document several times while it prepares (once per Ajv instance it
 * makes), so on a Lambda cold start each node less counts; resolving the references here is also
 * cheaper than the validator's general-purpose ref parser, which then finds none left.
 */
export function validatorDocument(document: Record<string, unknown>): Record<string, unknown> {
  const resolved = new Map<unknown, unknown>();
  const target = (ref: string) =>
    ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key.replace(/~1/g, '/').replace(/~0/g, '~')], document);

  const visit = (node: unknown, key: string | undefined): unknown => {
    if (Array.isArray(node)) return node.map((item) => visit(item, undefined));
    if (node === null || typeof node !== 'object') return node;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string') {
      if (!ref.startsWith('#/')) throw new Error(`openapi.yaml refers outside itself (${ref}): the validator's document cannot resolve it`);
      return visit(target(ref), key);
    }
    if (resolved.has(node)) return resolved.get(node);
    const copy: Record<string, unknown> = {};
    resolved.set(node, copy);
    for (const [name, value] of Object.entries(node)) {
      // Under `properties` the keys are the data's field names, which may well be `example`.
      if (key !== 'properties' && EXAMPLES.has(name)) continue;
      copy[name] = visit(value, name);
    }
    return copy;
  };
  return visit(document, undefined) as Record<string, unknown>;
}
