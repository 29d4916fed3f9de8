import type { Order } from '../api-types';
import type { Caller } from '../auth/caller';
import type { OrderAction, OrderPolicy } from '../auth/order-policy';
import { OrderActionForbiddenError, OrderNotFoundError } from './order-errors';

/** What an order route asks to do: made by the order guard from the action its route declares. */
export interface OrderRequest<A extends OrderAction = OrderAction> {
  readonly caller: Caller;
  readonly orderId: number;
  readonly action: A;
}

/** The actions that change an order; the order service checks them on the row it has locked. */
export type OrderChangeAction = Exclude<OrderAction, 'create' | 'list' | 'read'>;

/**
 * Asks the policy about one order. An order that does not exist and an order the caller may not
 * even read get the same 404, so ids cannot be probed; an action denied on an order the caller
 * may read is 403. Returns the order the caller may act on.
 */
export function authorize(policy: OrderPolicy, request: OrderRequest, order: Order | null): Order {
  if (!order || !policy.allows('read', request.caller, order)) throw new OrderNotFoundError(request.orderId);
  if (!policy.allows(request.action, request.caller, order)) throw new OrderActionForbiddenError(request.action);
  return order;
}
