import type { RequestHandler } from 'express';
import type { OperationId, OperationRequest, OperationResponse, Order } from '../api-types';
import type { OrderPolicy } from '../auth/order-policy';
import { MAX_ID, parsePathId, queryInteger } from '../http/integer-parameters';
import { authorize, type OrderChangeAction, type OrderRequest } from './order-access';
import { OrderActionForbiddenError } from './order-errors';
import type { OrderService } from './order-service';

type Handled = Promise<void> | void;

/** Whose orders a listing covers: one user's or everyone's, in some marketplaces or in all. */
export interface ListingScope {
  readonly userId: number | undefined;
  readonly marketplaces: readonly string[] | undefined;
}

/** A route that shows an order: it gets the order the policy lets the caller read. */
export type OrderReadHandler<Op extends OperationId> = (req: OperationRequest<Op>, res: OperationResponse<Op>, order: Order) => Handled;

/** A route that changes an order: the order service checks its request on the row it locks. */
export type OrderChangeHandler<Op extends OperationId, A extends OrderChangeAction> = (
  req: OperationRequest<Op>,
  res: OperationResponse<Op>,
  request: OrderRequest<A>,
) => Handled;

/**
 * Puts the order policy in front of every /orders route. Each route names its action where it
 * is declared, and its handler receives what only the guard makes (the order it may read, the
 * request to change one, whose orders to list), so a route without the guard does not compile.
 */
export class OrderGuard {
  constructor(
    private readonly orders: OrderService,
    private readonly policy: OrderPolicy,
  ) {}

  /** POST /orders: the policy's `create` rule, for the caller's own new order. */
  create(handler: (req: OperationRequest<'createOrder'>, res: OperationResponse<'createOrder'>) => Handled): RequestHandler {
    return this.route((req: OperationRequest<'createOrder'>, res: OperationResponse<'createOrder'>) => {
      const caller = req.caller!;
      if (!this.policy.allows('create', caller, { userId: caller.id, marketplace: req.body.marketplace })) throw new OrderActionForbiddenError('create');
      return handler(req, res);
    });
  }

  /**
   * GET /orders: whose orders are listed. Without a `userId` filter, the caller's own, or
   * everyone's (undefined) when the policy lets the caller list every user's (staff). A filter
   * naming another user is asked of the policy too: staff may, a customer gets 403. Staff limited
   * to some marketplaces list theirs: every marketplace a listing covers is asked of the policy.
   */
  list(handler: (req: OperationRequest<'listOrders'>, res: OperationResponse<'listOrders'>, scope: ListingScope) => Handled): RequestHandler {
    return this.route((req: OperationRequest<'listOrders'>, res: OperationResponse<'listOrders'>) => {
      const caller = req.caller!;
      const filter = queryInteger(req, 'userId', { min: 1, max: MAX_ID });
      const marketplaces = req.query.marketplace === undefined ? caller.marketplaces : [req.query.marketplace];
      const allows = (userId: number | undefined) =>
        (marketplaces ?? [undefined]).every((marketplace) => this.policy.allows('list', caller, { userId, marketplace }));
      const userId = filter ?? (allows(undefined) ? undefined : caller.id);
      if (!allows(userId)) throw new OrderActionForbiddenError('list');
      // A scoped staff member listing their own orders (as a customer) sees them in every marketplace.
      const covered = userId === caller.id && req.query.marketplace === undefined ? undefined : marketplaces;
      return handler(req, res, { userId, marketplaces: covered });
    });
  }

  /** /orders/{id} routes. Reads load the order from wherever reads go and ask the policy here. */
  onOrder<Op extends OperationId>(action: 'read', handler: OrderReadHandler<Op>): RequestHandler;
  /** Changes read nothing here: the change reads the order once, locked, and asks the policy then. */
  onOrder<Op extends OperationId, A extends OrderChangeAction>(action: A, handler: OrderChangeHandler<Op, A>): RequestHandler;
  onOrder<Op extends OperationId>(
    action: 'read' | OrderChangeAction,
    handler: OrderReadHandler<Op> | OrderChangeHandler<Op, OrderChangeAction>,
  ): RequestHandler {
    return this.route(async (req: OperationRequest<Op>, res: OperationResponse<Op>) => {
      const request = { caller: req.caller!, orderId: parsePathId((req.params as { id?: unknown }).id), action };
      if (action !== 'read') return (handler as OrderChangeHandler<Op, OrderChangeAction>)(req, res, { ...request, action });
      const order = await this.orders.findForReading(request.orderId, request.caller);
      return (handler as OrderReadHandler<Op>)(req, res, authorize(this.policy, { ...request, action }, order));
    });
  }

  /** Express 5 passes a rejected promise on to the error handler by itself. */
  private route<Req, Res>(handle: (req: Req, res: Res) => Handled): RequestHandler {
    return handle as unknown as RequestHandler;
  }
}
