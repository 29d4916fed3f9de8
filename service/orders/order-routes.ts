import { Router, type Response } from 'express';
import type { OperationHandler, Order } from '../api-types';
import type { OrderPolicy } from '../auth/order-policy';
import { PAGE_SIZE, queryInteger } from '../http/integer-parameters';
import { etagOf } from '../http/preconditions';
import { parseTimestamp } from '../http/timestamp-parameter';
import type { IdempotentOrderCreation } from './idempotency';
import { creationGuard, guardedOrder, listedUserId, listingGuard, ownedOrderGuard } from './order-guard';
import type { OrderService } from './order-service';

/** /orders and everything under it. Validation already happened against openapi.yaml. */
export function orderRoutes(orders: OrderService, creation: IdempotentOrderCreation, policy: OrderPolicy): Router {
  const createOrder: OperationHandler<'createOrder'> = async (req, res) => {
    const result = await creation.create(req.caller!, req.body, req.get('Idempotency-Key'));
    if (result.replayed) res.set('Idempotent-Replayed', 'true');
    sendOrder(res.status(result.status).location(result.location), result.order);
  };

  const listOrders: OperationHandler<'listOrders'> = async (req, res) => {
    const { cursor, status, createdAfter, createdBefore } = req.query;
    res.json(
      await orders.list(req.caller!, {
        userId: listedUserId(req),
        limit: queryInteger(req, 'limit', PAGE_SIZE, PAGE_SIZE.default),
        cursor,
        statuses: status === undefined ? undefined : [status].flat(),
        createdAfter: parseTimestamp(createdAfter, 'createdAfter'),
        createdBefore: parseTimestamp(createdBefore, 'createdBefore'),
      }),
    );
  };

  const getOrder: OperationHandler<'getOrder'> = (req, res) => {
    sendOrder(res, guardedOrder(req));
  };

  const listOrderEvents: OperationHandler<'listOrderEvents'> = async (req, res) => {
    res.json({ data: await orders.events(req.caller!, guardedOrder(req)) });
  };

  const setOrderTracking: OperationHandler<'setOrderTracking'> = async (req, res) => {
    sendOrder(res, await orders.setTracking(req.caller!, guardedOrder(req).id, req.body, req.get('If-Match')));
  };

  const updateOrderStatus: OperationHandler<'updateOrderStatus'> = async (req, res) => {
    sendOrder(res, await orders.moveTo(req.caller!, guardedOrder(req).id, req.body.status, req.get('If-Match')));
  };

  const cancelOrder: OperationHandler<'cancelOrder'> = async (req, res) => {
    sendOrder(res, await orders.cancel(req.caller!, guardedOrder(req).id, req.get('If-Match')));
  };

  const router = Router();
  router.post('/', creationGuard(policy), createOrder);
  router.get('/', listingGuard(policy), listOrders);
  router.use('/:id', ownedOrderGuard(orders, policy));
  router.get('/:id', getOrder);
  router.get('/:id/events', listOrderEvents);
  router.patch('/:id/tracking', setOrderTracking);
  router.patch('/:id/status', updateOrderStatus);
  router.patch('/:id/cancel', cancelOrder);
  return router;
}

/** Every order response carries its version as a strong ETag, for If-Match on the next change. */
function sendOrder(res: Response, order: Order): void {
  res.set('ETag', etagOf(order.version)).json(order);
}
