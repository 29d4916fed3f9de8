import { Router, type Response } from 'express';
import type { OperationRequest, OperationResponse, Order } from '../api-types';
import type { OrderPolicy } from '../auth/order-policy';
import { PAGE_SIZE, queryInteger } from '../http/integer-parameters';
import { etagOf, etagOfPage, ifMatchVersions } from '../http/preconditions';
import { parseTimestamp } from '../http/timestamp-parameter';
import type { MarketplaceService } from '../marketplaces/marketplace-service';
import type { IdempotentCreation } from './idempotent-creation';
import { type ListingScope, type OrderChangeHandler, OrderGuard, type OrderReadHandler } from './order-guard';
import type { OrderService } from './order-service';
import { addShipmentRoutes } from './shipment-routes';
import type { ShipmentService } from './shipment-service';

/** /orders and everything under it. Validation already happened against openapi.yaml. */
export function orderRoutes(
  orders: OrderService,
  shipments: ShipmentService,
  creation: IdempotentCreation,
  policy: OrderPolicy,
  marketplaces: MarketplaceService,
): Router {
  const createOrder = async (req: OperationRequest<'createOrder'>, res: OperationResponse<'createOrder'>) => {
    const result = await creation.order(req.caller!, req.body, req.acceptsLanguages(), req.get('Idempotency-Key'));
    if (result.replayed) res.set('Idempotent-Replayed', 'true');
    sendOrder(res.status(result.status).location(result.location), result.created);
  };

  const listOrders = async (req: OperationRequest<'listOrders'>, res: OperationResponse<'listOrders'>, scope: ListingScope) => {
    const { cursor, status, createdAfter, createdBefore, marketplace } = req.query;
    // A filter naming no marketplace is a typo: 400, not a list that looks empty.
    if (marketplace !== undefined) await marketplaces.forReading(marketplace);
    const page = await orders.list(req.caller!, {
      ...scope,
      limit: queryInteger(req, 'limit', PAGE_SIZE, PAGE_SIZE.default),
      cursor,
      statuses: status === undefined ? undefined : [status].flat(),
      createdAfter: parseTimestamp(createdAfter, 'createdAfter'),
      createdBefore: parseTimestamp(createdBefore, 'createdBefore'),
    });
    res.set('ETag', etagOfPage(page.data, page.nextCursor)).json(page);
  };

  const getOrder: OrderReadHandler<'getOrder'> = (_req, res, order) => {
    sendOrder(res, order);
  };

  const listOrderEvents: OrderReadHandler<'listOrderEvents'> = async (req, res, order) => {
    res.json({ data: await orders.events(req.caller!, order) });
  };

  const setOrderTracking: OrderChangeHandler<'setOrderTracking', 'setTracking'> = async (req, res, request) => {
    sendOrder(res, await orders.setTracking(request, req.body, ifMatchVersions(req.get('If-Match'))));
  };

  const updateOrderStatus: OrderChangeHandler<'updateOrderStatus', 'changeStatus'> = async (req, res, request) => {
    sendOrder(res, await orders.moveTo(request, req.body.status, ifMatchVersions(req.get('If-Match'))));
  };

  const cancelOrder: OrderChangeHandler<'cancelOrder', 'cancel'> = async (req, res, request) => {
    sendOrder(res, await orders.cancel(request, ifMatchVersions(req.get('If-Match'))));
  };

  const guard = new OrderGuard(orders, policy);
  const router = Router();
  router.post('/', guard.create(createOrder));
  router.get('/', guard.list(listOrders));
  router.get('/:id', guard.onOrder('read', getOrder));
  router.get('/:id/events', guard.onOrder('read', listOrderEvents));
  router.patch('/:id/tracking', guard.onOrder('setTracking', setOrderTracking));
  router.patch('/:id/status', guard.onOrder('changeStatus', updateOrderStatus));
  router.patch('/:id/cancel', guard.onOrder('cancel', cancelOrder));
  addShipmentRoutes(router, guard, shipments, creation);
  return router;
}

/** Every order response carries its version as a strong ETag, for If-Match on the next change. */
function sendOrder(res: Response, order: Order): void {
  res.set('ETag', etagOf(order.version)).json(order);
}
