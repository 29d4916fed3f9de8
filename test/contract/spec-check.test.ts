import AjvCore from 'ajv/dist/core';
import express from 'express';
import request from 'supertest';
import { loadContract, type Contract } from '../../service/contract';
import { contractValidator } from '../../service/http/contract-validator';

/** The OpenAPI 3.0 schema openapi.yaml is checked against (express-openapi-validator's copy). */
const OPENAPI_SCHEMA_ID = 'https://spec.openapis.org/oas/3.0/schema/2019-04-02';

function appWith(contract: Contract, checkContract: boolean): express.Express {
  const app = express();
  app.use(express.json());
  app.use(contractValidator(contract, false, checkContract));
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  return app;
}

/** Whether building and serving through the validator compiled the OpenAPI schema itself. */
async function compilesTheOpenApiSchema(checkContract: boolean): Promise<boolean> {
  const compile = jest.spyOn(AjvCore.prototype, 'compile');
  try {
    await request(appWith(loadContract(), checkContract)).get('/health/live').expect(200);
    return compile.mock.calls.some(([schema]) => (schema as { id?: string }).id === OPENAPI_SCHEMA_ID);
  } finally {
    compile.mockRestore();
  }
}

/** openapi.yaml is checked against the OpenAPI schema at every start but a Lambda cold start (checkContract: false). */
describe('the contract check (contract-validator.ts, spec-check-on-demand.ts)', () => {
  test('when the check is on and the contract breaks the OpenAPI schema, then no request is served', async () => {
    const valid = loadContract();
    const broken: Contract = { text: valid.text, document: () => ({ ...valid.document(), info: { version: 1 } }) };
    // The validator prints the schema's complaints; they are expected here.
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);

    const response = await request(appWith(broken, true)).get('/health/live');

    expect(response.status).toBe(500);
    expect(printed).toHaveBeenCalledWith(expect.stringContaining('validation errors'), expect.stringContaining("must have required property 'title'"));
    printed.mockRestore();
  });

  test('when the check is on, the OpenAPI schema is compiled to run it', async () => {
    expect(await compilesTheOpenApiSchema(true)).toBe(true);
  });

  test('when the check is off, the OpenAPI schema is not even compiled (a third of a Lambda cold start)', async () => {
    expect(await compilesTheOpenApiSchema(false)).toBe(false);
  });
});
