import type { Request, RequestHandler } from 'express';
import type { Order } from '../api-types';
import { parsePathId } from '../http/path-id';
import { OrderNotFoundError } from './order-errors';
import type { OrderService } from './order-service';

const GUARDED_ORDER = Symbol('guardedOrder');
type GuardedRequest = Request & { [GUARDED_ORDER]?: Order };

/**
 * The ownership guard, mounted once in front of every /orders/:id route. An order that does not
 * exist and an order of someone else get the same 404, so ids cannot be probed. Reads load the
 * order from wherever reads go; changes load it from the writer.
 */
export function ownedOrderGuard(orders: OrderService): RequestHandler {
  return async (req, _res, next) => {
    const id = parsePathId(req.params.id);
    const caller = req.caller!;
    const order = req.method === 'GET' ? await orders.findForReading(id, caller) : await orders.findForChange(id);
    if (!order || order.userId !== caller.id) throw new OrderNotFoundError(id);
    (req as GuardedRequest)[GUARDED_ORDER] = order;
    next();
  };
}

/** The order the guard loaded for this request; handlers never look it up again. */
export function guardedOrder(req: Request<any, any, any, any>): Order {
  const order = (req as GuardedRequest)[GUARDED_ORDER];
  if (!order) throw new Error('guardedOrder() called on a route without ownedOrderGuard');
  return order;
}
