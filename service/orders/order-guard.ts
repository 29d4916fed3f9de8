import type { Request, RequestHandler } from 'express';
import type { Order } from '../api-types';
import type { OrderAction, OrderPolicy } from '../auth/order-policy';
import { MAX_ID, parsePathId, queryInteger } from '../http/integer-parameters';
import { OrderActionForbiddenError, OrderNotFoundError } from './order-errors';
import type { OrderService } from './order-service';

const GUARDED_ORDER = Symbol('guardedOrder');
const LISTED_USER = Symbol('listedUser');
type GuardedRequest = Request & { [GUARDED_ORDER]?: Order; [LISTED_USER]?: { userId: number | undefined } };

/** The policy action of each /orders/{id} operation; an operation missing here is refused (500). */
const ACTION_OF_OPERATION: Readonly<Record<string, OrderAction>> = {
  getOrder: 'read',
  listOrderEvents: 'read',
  setOrderTracking: 'setTracking',
  updateOrderStatus: 'changeStatus',
  cancelOrder: 'cancel',
};

/**
 * The order guard, mounted once in front of every /orders/:id route: it loads the order and asks
 * the policy. An order that does not exist and an order the caller may not even read get the same
 * 404, so ids cannot be probed; an action denied on an order the caller may read is 403. Reads
 * load the order from wherever reads go; changes load it from the writer.
 */
export function ownedOrderGuard(orders: OrderService, policy: OrderPolicy): RequestHandler {
  return async (req, _res, next) => {
    const id = parsePathId(req.params.id);
    const action = actionOf(req);
    const caller = req.caller!;
    const order = req.method === 'GET' ? await orders.findForReading(id, caller) : await orders.findForChange(id);
    if (!order || !policy.allows('read', caller, order)) throw new OrderNotFoundError(id);
    if (!policy.allows(action, caller, order)) throw new OrderActionForbiddenError(action);
    (req as GuardedRequest)[GUARDED_ORDER] = order;
    next();
  };
}

/** POST /orders: the policy's `create` rule, for the caller's own new order. */
export function creationGuard(policy: OrderPolicy): RequestHandler {
  return (req, _res, next) => {
    const caller = req.caller!;
    if (!policy.allows('create', caller, { userId: caller.id })) throw new OrderActionForbiddenError('create');
    next();
  };
}

/**
 * GET /orders: whose orders are listed. Without a `userId` filter, the caller's own, or everyone's
 * when the policy lets the caller list every user's (staff). A filter naming another user is
 * asked of the policy too: staff may, a customer gets 403 (naming themselves is fine).
 */
export function listingGuard(policy: OrderPolicy): RequestHandler {
  return (req, _res, next) => {
    const caller = req.caller!;
    const filter = queryInteger(req, 'userId', { min: 1, max: MAX_ID });
    const userId = filter ?? (policy.allows('list', caller, { userId: undefined }) ? undefined : caller.id);
    if (!policy.allows('list', caller, { userId })) throw new OrderActionForbiddenError('list');
    (req as GuardedRequest)[LISTED_USER] = { userId };
    next();
  };
}

function actionOf(req: Request): OrderAction {
  const operationId = (req as { openapi?: { schema?: { operationId?: string } } }).openapi?.schema?.operationId;
  const action = operationId === undefined ? undefined : ACTION_OF_OPERATION[operationId];
  if (!action) throw new Error(`order-guard.ts maps no policy action to operation ${operationId}`);
  return action;
}

/** The order the guard loaded for this request; handlers never look it up again. */
export function guardedOrder(req: Request<any, any, any, any>): Order {
  const order = (req as GuardedRequest)[GUARDED_ORDER];
  if (!order) throw new Error('guardedOrder() called on a route without ownedOrderGuard');
  return order;
}

/** Whose orders GET /orders lists: one user's id, or undefined for every user's (staff). */
export function listedUserId(req: Request<any, any, any, any>): number | undefined {
  const listed = (req as GuardedRequest)[LISTED_USER];
  if (!listed) throw new Error('listedUserId() called on a route without listingGuard');
  return listed.userId;
}
