import type { NextFunction, Request, Response } from 'express';
import type { components, operations } from './generated/openapi';

/** Types generated from openapi.yaml (npm run generate:types); a test fails when they are stale. */
type Schemas = components['schemas'];
export type Order = Schemas['Order'];
export type OrderLine = Schemas['OrderLine'];
export type OrderPage = Schemas['OrderPage'];
export type Shipment = Schemas['Shipment'];
export type CreateOrderRequest = Schemas['CreateOrderRequest'];
export type StatusUpdateRequest = Schemas['StatusUpdateRequest'];
export type Problem = Schemas['Problem'];
export type Product = Schemas['Product'];
export type Marketplace = Schemas['Marketplace'];
export type OrderEvent = Schemas['OrderEvent'];
export type OrderShipment = Schemas['OrderShipment'];
export type ShipmentStatus = Schemas['ShipmentStatus'];
export type Carrier = Schemas['Carrier'];
export type FulfilmentStatus = Schemas['FulfilmentStatus'];
export type CreateShipmentRequest = Schemas['CreateShipmentRequest'];
export type ShipmentUpdateRequest = Schemas['ShipmentUpdateRequest'];

export type OperationId = keyof operations;

type PathParams<Op extends OperationId> = operations[Op]['parameters'] extends { path: infer P } ? P : object;
type QueryParams<Op extends OperationId> = operations[Op]['parameters'] extends { query?: infer Q } ? NonNullable<Q> : object;
type JsonRequestBody<Op extends OperationId> = operations[Op] extends {
  requestBody: { content: { 'application/json': infer B } };
}
  ? B
  : never;
type JsonResponses<Op extends OperationId> = {
  [Status in keyof operations[Op]['responses']]: operations[Op]['responses'][Status] extends {
    content: { 'application/json': infer B };
  }
    ? B
    : never;
}[keyof operations[Op]['responses']];

/**
 * An Express handler typed from the contract: its params, query, body and JSON responses are
 * those openapi.yaml declares for the operation. The validator has already enforced them.
 */
export type OperationHandler<Op extends OperationId> = (
  req: OperationRequest<Op>,
  res: OperationResponse<Op>,
  next: NextFunction,
) => Promise<void> | void;

/** The request of an operation, typed from the contract. */
export type OperationRequest<Op extends OperationId> = Request<PathParams<Op>, JsonResponses<Op>, JsonRequestBody<Op>, QueryParams<Op>>;
/** The response of an operation: its JSON bodies are those the contract declares. */
export type OperationResponse<Op extends OperationId> = Response<JsonResponses<Op>>;
