import type { EntityManager } from 'typeorm';
import type { CreateShipmentRequest, Order, OrderShipment, ShipmentStatus, ShipmentUpdateRequest } from '../api-types';
import { fulfilmentOf, orderStatusFor } from '../shipments/fulfilment';
import { ShipmentCancelledError, ShipmentNotCancellableError, ShipmentNotFoundError, InvalidShipmentTransitionError } from '../shipments/shipment-errors';
import { checkShipmentLines } from '../shipments/shipment-lines';
import { findShipmentsOfOrders, insertShipment, moveShipment, updateTracking } from '../shipments/shipment-repository';
import { canCancelShipment, canShipmentMoveTo } from '../shipments/shipment-status';
import { sameTracking, trackingAfter, trackingOf } from '../shipments/shipment-tracking';
import type { OrderChangeAction, OrderRequest } from './order-access';
import type { Change, ExpectedVersions, OrderChanges } from './order-change';
import { OrderCancelledError } from './order-errors';
import * as orders from './order-repository';

/** A shipment as a change left it, with the order's version after the change (its ETag). */
export interface ShipmentResult {
  readonly shipment: OrderShipment;
  readonly orderVersion: number;
}

/**
 * The shipment rules, each change one order change (order-change.ts): under the order's row lock,
 * so that concurrent shipments of one line apply one after the other and never hold more than
 * was ordered. Each writes a `shipment.*` event whose `to` stands alone for a notification: the
 * shipment with its lines, carrier, tracking number and URL, and what the order became.
 */
export class ShipmentService {
  constructor(private readonly changes: OrderChanges) {}

  /**
   * Puts some of the order's lines in a new pending shipment, inside the caller's transaction (the
   * idempotent request wraps it, with or without a key).
   */
  async createIn(manager: EntityManager, request: OrderRequest<'createShipment'>, body: CreateShipmentRequest, expected: ExpectedVersions): Promise<ShipmentResult> {
    let shipmentId = 0;
    const order = await this.changes.runIn(manager, request, expected, async (inner, current, at) => {
      shipmentId = await this.insert(inner, current, body, at);
      return shipmentEvent('shipment.created', null, await this.settle(inner, current, shipmentId));
    });
    return resultFor(order, shipmentId);
  }

  /** Sending what the shipment already has changes nothing: it comes back with the same version. */
  update(request: OrderRequest<'updateShipment'>, shipmentId: number, body: ShipmentUpdateRequest, expected: ExpectedVersions): Promise<ShipmentResult> {
    return this.change(request, shipmentId, expected, async (manager, order, shipment, at) => {
      if (shipment.status === 'cancelled') throw new ShipmentCancelledError();
      const before = trackingOf(shipment);
      const after = trackingAfter(before, body);
      if (sameTracking(before, after)) return null;
      await updateTracking(manager, shipment.id, after, at);
      return shipmentEvent('shipment.updated', { shipment: before }, await this.settle(manager, order, shipment.id));
    });
  }

  moveTo(request: OrderRequest<'changeShipmentStatus'>, shipmentId: number, target: ShipmentStatus, expected: ExpectedVersions): Promise<ShipmentResult> {
    return this.change(request, shipmentId, expected, async (manager, order, shipment, at) => {
      if (target === 'pending' || !canShipmentMoveTo(shipment.status, target)) throw new InvalidShipmentTransitionError(shipment.status, target);
      await moveShipment(manager, shipment.id, target, at);
      const event = target === 'shipped' ? 'shipment.shipped' : 'shipment.delivered';
      return shipmentEvent(event, { shipment: { status: shipment.status }, orderStatus: order.status }, await this.settle(manager, order, shipment.id));
    });
  }

  /** Cancelling twice is harmless: a cancelled shipment comes back unchanged. */
  cancel(request: OrderRequest<'cancelShipment'>, shipmentId: number, expected: ExpectedVersions): Promise<ShipmentResult> {
    return this.change(request, shipmentId, expected, async (manager, order, shipment, at) => {
      if (shipment.status === 'cancelled') return null;
      if (!canCancelShipment(shipment.status)) throw new ShipmentNotCancellableError(shipment.status);
      await moveShipment(manager, shipment.id, 'cancelled', at);
      return shipmentEvent('shipment.cancelled', { shipment: { status: shipment.status } }, await this.settle(manager, order, shipment.id));
    });
  }

  private async insert(manager: EntityManager, order: Order, body: CreateShipmentRequest, at: Date): Promise<number> {
    if (order.status === 'cancelled') throw new OrderCancelledError();
    checkShipmentLines(order, body.lines);
    const tracking = trackingAfter({ carrier: null, carrierName: null, trackingNumber: null }, body);
    return insertShipment(manager, { orderId: order.id, ...tracking, lines: body.lines, at });
  }

  /** A change of one shipment of the order: a shipment id of another order is not found. */
  private change(
    request: OrderRequest<OrderChangeAction>,
    shipmentId: number,
    expected: ExpectedVersions,
    apply: (manager: EntityManager, order: Order, shipment: OrderShipment, at: Date) => Promise<Change>,
  ): Promise<ShipmentResult> {
    return this.changes
      .run(request, expected, (manager, order, at) => apply(manager, order, shipmentOf(order, shipmentId), at))
      .then((order) => resultFor(order, shipmentId));
  }

  /**
   * After a shipment changed: the order's status follows its shipments (shipped once every unit
   * has, delivered once every unit is), and the event says what the shipment and the order are now.
   */
  private async settle(manager: EntityManager, order: Order, shipmentId: number): Promise<Settled> {
    const shipments = (await findShipmentsOfOrders(manager, [order.id])).get(order.id)!;
    const fulfilment = fulfilmentOf(order.products, shipments);
    const orderStatus = orderStatusFor(order.status, fulfilment);
    if (orderStatus !== order.status) await orders.updateOrderStatus(manager, order.id, orderStatus);
    return { shipment: shipments.find((shipment) => shipment.id === shipmentId)!, fulfilment, orderStatus };
  }
}

type Settled = { shipment: OrderShipment; fulfilment: Order['fulfilment']; orderStatus: Order['status'] };

function shipmentEvent(type: NonNullable<Change>['type'], from: Record<string, unknown> | null, to: Settled): Change {
  return { type, from, to: { ...to } };
}

function shipmentOf(order: Order, shipmentId: number): OrderShipment {
  const shipment = order.shipments.find((one) => one.id === shipmentId);
  if (!shipment) throw new ShipmentNotFoundError(order.id, shipmentId);
  return shipment;
}

function resultFor(order: Order, shipmentId: number): ShipmentResult {
  return { shipment: shipmentOf(order, shipmentId), orderVersion: order.version };
}
