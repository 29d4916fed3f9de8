import type { Response, Router } from 'express';
import type { OrderShipment } from '../api-types';
import { parsePathId } from '../http/integer-parameters';
import { etagOf, ifMatchVersions } from '../http/preconditions';
import { ShipmentNotFoundError } from '../shipments/shipment-errors';
import type { IdempotentCreation } from './idempotent-creation';
import type { OrderChangeHandler, OrderGuard, OrderReadHandler } from './order-guard';
import type { ShipmentResult, ShipmentService } from './shipment-service';

/**
 * /orders/{id}/shipments and each shipment under it, behind the order guard like every order
 * route. A shipment is part of its order: its ETag is the order's version, which every shipment
 * change moves on, and If-Match names that version.
 */
export function addShipmentRoutes(router: Router, guard: OrderGuard, shipments: ShipmentService, creation: IdempotentCreation): void {
  const createShipment: OrderChangeHandler<'createShipment', 'createShipment'> = async (req, res, request) => {
    const result = await creation.shipment(request, req.body, ifMatchVersions(req.get('If-Match')), req.get('Idempotency-Key'));
    if (result.replayed) res.set('Idempotent-Replayed', 'true');
    res.status(result.status).location(result.location).set('ETag', etagOf(result.version)).json(result.created);
  };

  const listShipments: OrderReadHandler<'listShipments'> = (_req, res, order) => {
    res.set('ETag', etagOf(order.version)).json({ data: order.shipments });
  };

  const getShipment: OrderReadHandler<'getShipment'> = (req, res, order) => {
    const shipmentId = parsePathId(req.params.shipmentId, 'shipmentId');
    const shipment = order.shipments.find((one) => one.id === shipmentId);
    if (!shipment) throw new ShipmentNotFoundError(order.id, shipmentId);
    res.set('ETag', etagOf(order.version)).json(shipment);
  };

  const updateShipment: OrderChangeHandler<'updateShipment', 'updateShipment'> = async (req, res, request) => {
    send(res, await shipments.update(request, shipmentIdOf(req), req.body, ifMatchVersions(req.get('If-Match'))));
  };

  const updateShipmentStatus: OrderChangeHandler<'updateShipmentStatus', 'changeShipmentStatus'> = async (req, res, request) => {
    send(res, await shipments.moveTo(request, shipmentIdOf(req), req.body.status, ifMatchVersions(req.get('If-Match'))));
  };

  const cancelShipment: OrderChangeHandler<'cancelShipment', 'cancelShipment'> = async (req, res, request) => {
    send(res, await shipments.cancel(request, shipmentIdOf(req), ifMatchVersions(req.get('If-Match'))));
  };

  router.post('/:id/shipments', guard.onOrder('createShipment', createShipment));
  router.get('/:id/shipments', guard.onOrder('read', listShipments));
  router.get('/:id/shipments/:shipmentId', guard.onOrder('read', getShipment));
  router.patch('/:id/shipments/:shipmentId', guard.onOrder('updateShipment', updateShipment));
  router.patch('/:id/shipments/:shipmentId/status', guard.onOrder('changeShipmentStatus', updateShipmentStatus));
  router.patch('/:id/shipments/:shipmentId/cancel', guard.onOrder('cancelShipment', cancelShipment));
}

function shipmentIdOf(req: { params: unknown }): number {
  return parsePathId((req.params as { shipmentId?: unknown }).shipmentId, 'shipmentId');
}

function send(res: Response, result: ShipmentResult): void {
  res.set('ETag', etagOf(result.orderVersion)).json(result.shipment satisfies OrderShipment);
}
