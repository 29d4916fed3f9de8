import AjvCore from 'ajv/dist/core';
import express from 'express';
import request from 'supertest';
import { loadContract } from '../../service/contract';
import { contractValidator } from '../../service/http/contract-validator';

type UseAjvCache = (ajv: unknown, schema: Record<string, unknown>, cacheKey: string) => (...args: unknown[]) => boolean;
const ALONE = Symbol.for('order-service.operation-schemas-alone');

/** A request to every operation of the contract, each path parameter 1, each body empty. */
async function requestEveryOperation(app: express.Express): Promise<number> {
  let sent = 0;
  for (const [path, item] of Object.entries(loadContract().document().paths as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(item).filter((key) => ['get', 'post', 'put', 'patch', 'delete'].includes(key))) {
      const url = path.replace(/\{[^}]+\}/g, '1');
      const client = request(app)[method as 'get'](url).set('user_id', '1');
      await (method === 'get' || method === 'delete' ? client : client.send({}));
      sent++;
    }
  }
  return sent;
}

function appWithValidator(): express.Express {
  const app = express();
  app.use(express.json());
  app.use(contractValidator(loadContract(), false, false));
  return app;
}

describe('request validators compiled without the document beside them (operation-schemas-alone.ts)', () => {
  test('each operation compiles to the same validator code with the document or without it', async () => {
    // GIVEN the validator's own schema cache function, which compiles each operation both ways
    const util: { useAjvCache: UseAjvCache & { [ALONE]?: true } } = require('express-openapi-validator/dist/middlewares/util');
    const original = util.useAjvCache;
    const compared: Array<{ key: string; same: boolean }> = [];
    // Ajv numbers the functions and values it generates per instance: compare the code, not the numbering.
    const code = (validate: object) => validate.toString().replace(/\b([A-Za-z_]+?)\d+\b/g, '$1#');
    const bothWays: UseAjvCache & { [ALONE]?: true } = (ajv, schema, cacheKey) => {
      const { paths, components, ...operation } = schema;
      const withDocument = original(ajv, schema, cacheKey);
      compared.push({ key: cacheKey, same: paths !== undefined && components !== undefined && code(original(ajv, operation, `${cacheKey}#alone`)) === code(withDocument) });
      return withDocument;
    };
    bothWays[ALONE] = true;
    util.useAjvCache = bothWays;
    try {
      // WHEN every operation is requested
      const sent = await requestEveryOperation(appWithValidator());

      // THEN each validator (query, headers, path and body; then the body alone) compiled the same
      expect(compared.length).toBe(2 * sent);
      expect(compared.filter(({ same }) => !same)).toEqual([]);
    } finally {
      util.useAjvCache = original;
    }
  });

  test('the service`s validator compiles no operation with the document beside it', async () => {
    const added = jest.spyOn(AjvCore.prototype, 'addSchema');
    try {
      await requestEveryOperation(appWithValidator());

      const operations = added.mock.calls.filter(([, key]) => typeof key === 'string' && /^(GET|POST|PATCH|PUT|DELETE)-/.test(key));
      expect(operations.length).toBeGreaterThan(10);
      expect(operations.filter(([schema]) => 'paths' in (schema as object) || 'components' in (schema as object))).toEqual([]);
    } finally {
      added.mockRestore();
    }
  });
});
