import type { RequestHandler } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Contract } from '../contract';
import { cacheRouteRegexps } from './route-regexp-cache';
import { compileOperationSchemasAlone } from './operation-schemas-alone';
import { compileSpecCheckOnDemand } from './spec-check-on-demand';
import { validatorDocument } from './validator-document';

/**
 * express-openapi-validator as the service runs it: every request checked against openapi.yaml,
 * unknown query parameters and undocumented routes refused, and (in tests) every response too.
 * `checkContract: false` skips validating the document itself, which the same file already passed.
 * Mount after the JSON body parser.
 */
export function contractValidator(contract: Contract, validateResponses: boolean, checkContract = true): RequestHandler[] {
  cacheRouteRegexps();
  compileSpecCheckOnDemand();
  compileOperationSchemasAlone();
  return OpenApiValidator.middleware({
    apiSpec: validatorDocument(contract.document()) as never,
    // Checking openapi.yaml against the OpenAPI schema costs a few hundred ms of CPU; every start
    // of the service and every test app does it, a Lambda cold start need not (serverless/api-handler.ts),
    // and then the schema is not even compiled (spec-check-on-demand.ts).
    validateApiSpec: checkContract,
    // validatorDocument leaves no $ref, and this mode would resolve any up front: in the default
    // 'bundle' mode the validator resolves each response and parameter reference by compiling it
    // with Ajv while it prepares the document, about 100 ms of a Lambda cold start.
    $refParser: { mode: 'dereference' },
    validateRequests: { allowUnknownQueryParameters: false, allErrors: true },
    validateResponses: validateResponses && { removeAdditional: false },
    // Authentication is ours (auth/authenticate.ts), so that it can change mode in one place.
    validateSecurity: false,
    // No operation takes multipart bodies: without this, every request passes through a multer
    // check, and a third copy of the compiled spec (its own Ajv) stays in memory.
    fileUploader: false,
    ignoreUndocumented: false,
    // Calendar-checked dates and times: 2026-02-30 and a +25:00 offset are refused, not rolled over.
    validateFormats: true,
    ajvFormats: { mode: 'full' },
  }) as RequestHandler[];
}
