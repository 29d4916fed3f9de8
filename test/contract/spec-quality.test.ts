import { exampleViolations, operations, resolve, spec } from '../helpers/contract';

/** The contract is the product's front page: every operation must be fully described. */
describe('openapi.yaml', () => {
  test('is OpenAPI 3.0.3 or 3.1', () => {
    expect(spec.openapi).toMatch(/^3\.(0\.3|1\.\d+)$/);
  });

  test('has unique operationIds', () => {
    const ids = operations.map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test.each(operations.map((op) => [op.operationId, op] as const))('%s has a summary, a tag and a success response', (_id, op) => {
    expect(op.definition.summary).toEqual(expect.any(String));
    expect(op.definition.tags?.length).toBeGreaterThan(0);
    expect(op.statuses.some((status) => status.startsWith('2'))).toBe(true);
  });

  test.each(operations.map((op) => [op.operationId, op] as const))('%s documents every error it can give as a problem', (_id, op) => {
    const secured = op.definition.security === undefined ? spec.security?.length > 0 : op.definition.security.length > 0;
    const hasPathId = op.path.includes('{id}');
    const hasBody = Boolean(op.definition.requestBody);
    const expected = [
      // Authenticated operations reach the database, which can be unreachable.
      ...(secured ? ['401', '503'] : []),
      ...(hasPathId ? ['400', '404'] : []),
      ...(hasBody ? ['400', '413', '415'] : []),
    ];
    expect(op.statuses).toEqual(expect.arrayContaining(expected));
    for (const status of op.statuses.filter((s) => Number(s) >= 400)) {
      expect(Object.keys(resolve(op.definition.responses[status]).content)).toEqual(['application/problem+json']);
    }
  });

  test.each(operations.filter((op) => op.statuses.includes('304')).map((op) => [op.operationId, op] as const))(
    '%s, which documents a 304, declares the If-None-Match header that asks for it',
    (_id, op) => {
      const headers = [...op.pathParameters, ...(op.definition.parameters ?? [])].map(resolve).filter((p) => p.in === 'header');
      expect(headers.map((p) => p.name)).toContain('If-None-Match');
    },
  );

  test.each(operations.filter((op) => op.definition.requestBody).map((op) => [op.operationId, op] as const))(
    '%s gives an example request body',
    (_id, op) => {
      const media = resolve(op.definition.requestBody).content['application/json'];
      expect(media.example ?? media.examples).toBeDefined();
    },
  );

  test.each(operations.map((op) => [op.operationId, op] as const))('%s gives an example of every JSON response', (_id, op) => {
    for (const status of op.statuses) {
      const content = resolve(op.definition.responses[status]).content ?? {};
      for (const [type, media] of Object.entries<Record<string, unknown>>(content)) {
        if (type.endsWith('json')) expect([status, media.example ?? media.examples]).toEqual([status, expect.anything()]);
      }
    }
  });

  test.each(operations.map((op) => [op.operationId, op] as const))('%s gives examples that match their own schemas', (_id, op) => {
    expect(exampleViolations(op)).toEqual([]);
  });
});
