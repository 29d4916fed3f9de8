import type { CreateOrderRequest, CreateShipmentRequest, Order, OrderShipment } from '../api-types';
import type { Caller } from '../auth/caller';
import { type IdempotentRequests } from './idempotency';
import { hashRequest } from './idempotency-repository';
import type { OrderRequest } from './order-access';
import type { ExpectedVersions } from './order-change';
import type { OrderCreation } from './order-creation';
import type { ShipmentService } from './shipment-service';

export interface Created<T> {
  readonly status: number;
  readonly created: T;
  /** The order's version after the creation, for the ETag. */
  readonly version: number;
  readonly location: string;
  readonly replayed: boolean;
}

/** POST /orders and POST /orders/{id}/shipments, safe to retry with an Idempotency-Key. */
export class IdempotentCreation {
  constructor(
    private readonly requests: IdempotentRequests,
    private readonly orders: OrderCreation,
    private readonly shipments: ShipmentService,
  ) {}

  /**
   * The stored body is the order itself, as it was answered (it carries its own version). The
   * shopper's languages are not part of the request's identity: a retry gets the first answer.
   */
  async order(caller: Caller, request: CreateOrderRequest, languages: readonly string[], key: string | undefined): Promise<Created<Order>> {
    const { answer, replayed } = await this.requests.run(caller, key, hashRequest(request), async (manager) => {
      const order = await this.orders.insert(manager, caller, request, languages);
      return { status: 201, body: JSON.stringify(order), location: `/orders/${order.id}` };
    });
    const order = JSON.parse(answer.body) as Order;
    return { status: answer.status, created: order, version: order.version, location: answer.location, replayed };
  }

  /**
   * The stored body is the shipment with the order's version after it. The hash covers the order
   * too: the same key and body sent for another order is another request.
   */
  async shipment(request: OrderRequest<'createShipment'>, body: CreateShipmentRequest, expected: ExpectedVersions, key: string | undefined): Promise<Created<OrderShipment>> {
    const hash = hashRequest({ orderId: request.orderId, shipment: body });
    const { answer, replayed } = await this.requests.run(request.caller, key, hash, async (manager) => {
      const { shipment, orderVersion } = await this.shipments.createIn(manager, request, body, expected);
      return { status: 201, body: JSON.stringify({ shipment, orderVersion }), location: `/orders/${request.orderId}/shipments/${shipment.id}` };
    });
    const { shipment, orderVersion } = JSON.parse(answer.body) as { shipment: OrderShipment; orderVersion: number };
    return { status: answer.status, created: shipment, version: orderVersion, location: answer.location, replayed };
  }
}
