/**
 * express-openapi-validator 5.6 compiles the whole OpenAPI 3.0 schema with Ajv whenever it builds
 * its middleware, even with `validateApiSpec: false`, when nothing ever runs the result
 * (framework/index.js constructs an OpenAPISchemaValidator, and only calls `validate` when the
 * option is on). That compile is about a third of a Lambda cold start. The validator reads the
 * module's export at call time, so this replaces it, once, with one that compiles on the first
 * `validate`: with the option on, that is at once, as before; with it off, never.
 * Remove when the validator skips the compile itself.
 */
type SpecCheck = { validate(document: unknown): { errors: unknown[] } };
type SpecCheckClass = (new (options: Record<string, unknown>) => SpecCheck) & { [ON_DEMAND]?: true };
const ON_DEMAND = Symbol.for('order-service.spec-check-on-demand');

export function compileSpecCheckOnDemand(): void {
  // The module object itself (a bundle resolves this path to the same module as the validator's own require).
  const specCheckModule: { OpenAPISchemaValidator: SpecCheckClass } = require('express-openapi-validator/dist/framework/openapi.schema.validator');
  const Compiled = specCheckModule.OpenAPISchemaValidator;
  if (Compiled[ON_DEMAND] || !Object.getOwnPropertyDescriptor(specCheckModule, 'OpenAPISchemaValidator')?.writable) return;

  class OnDemand implements SpecCheck {
    static readonly [ON_DEMAND] = true;
    #compiled: SpecCheck | undefined;
    constructor(private readonly options: Record<string, unknown>) {}
    validate(document: unknown) {
      this.#compiled ??= new Compiled(this.options);
      return this.#compiled.validate(document);
    }
  }
  specCheckModule.OpenAPISchemaValidator = OnDemand;
}
