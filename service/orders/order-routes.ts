import { Router } from 'express';
import type { OperationHandler } from '../api-types';
import type { OrderPolicy } from '../auth/order-policy';
import { creationGuard, guardedOrder, listedUserId, listingGuard, ownedOrderGuard } from './order-guard';
import type { OrderService } from './order-service';

/** /orders and everything under it. Validation already happened against openapi.yaml. */
export function orderRoutes(orders: OrderService, policy: OrderPolicy): Router {
  const createOrder: OperationHandler<'createOrder'> = async (req, res) => {
    const order = await orders.create(req.caller!, req.body);
    res.status(201).location(`/orders/${order.id}`).json(order);
  };

  const listOrders: OperationHandler<'listOrders'> = async (req, res) => {
    const page = { limit: Number(req.query.limit ?? 20), cursor: req.query.cursor, userId: listedUserId(req) };
    res.json(await orders.list(req.caller!, page));
  };

  const getOrder: OperationHandler<'getOrder'> = (req, res) => {
    res.json(guardedOrder(req));
  };

  const setOrderTracking: OperationHandler<'setOrderTracking'> = async (req, res) => {
    res.json(await orders.setTracking(req.caller!, guardedOrder(req).id, req.body));
  };

  const updateOrderStatus: OperationHandler<'updateOrderStatus'> = async (req, res) => {
    res.json(await orders.moveTo(req.caller!, guardedOrder(req).id, req.body.status));
  };

  const cancelOrder: OperationHandler<'cancelOrder'> = async (req, res) => {
    res.json(await orders.cancel(req.caller!, guardedOrder(req).id));
  };

  const router = Router();
  router.post('/', creationGuard(policy), createOrder);
  router.get('/', listingGuard(policy), listOrders);
  router.use('/:id', ownedOrderGuard(orders, policy));
  router.get('/:id', getOrder);
  router.patch('/:id/tracking', setOrderTracking);
  router.patch('/:id/status', updateOrderStatus);
  router.patch('/:id/cancel', cancelOrder);
  return router;
}
