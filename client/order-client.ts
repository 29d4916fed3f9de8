import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from '../service/generated/openapi';

/*
 * Every path, parameter, body and response type here is the one the service itself is checked
 * against: service/generated/openapi.d.ts, generated from openapi.yaml (a test fails when it is
 * stale). A contract change that breaks a caller breaks its compilation.
 */
type Schemas = components['schemas'];
export type Order = Schemas['Order'];
export type OrderPage = Schemas['OrderPage'];
export type OrderStatus = Schemas['OrderStatus'];
export type Problem = Schemas['Problem'];

/** A typed client of the order service, one method per HTTP verb: `GET`, `POST`, `PATCH`. */
export type OrderServiceClient = Client<paths>;

/** Where the service runs, for example `http://localhost:3000`, and who calls it. */
export type OrderClientOptions = { readonly baseUrl: string } & (
  | {
      /** The caller, sent as the `user_id` header on every request (AUTH_MODE=header). */
      readonly userId: number;
    }
  | {
      /** A JWT from the identity provider, sent as `Authorization: Bearer` (AUTH_MODE=jwt). */
      readonly token: string;
    }
);

/** A client that acts as one user; each call resolves to `{ data, error, response }`. */
export function createOrderClient(options: OrderClientOptions): OrderServiceClient {
  const headers = 'token' in options ? { authorization: `Bearer ${options.token}` } : { user_id: String(options.userId) };
  return createClient<paths>({ baseUrl: options.baseUrl, headers });
}
