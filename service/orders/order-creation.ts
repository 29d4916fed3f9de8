import type { EntityManager } from 'typeorm';
import type { CreateOrderRequest, Marketplace, Order } from '../api-types';
import type { Caller } from '../auth/caller';
import { OutOfStockError } from '../catalogue/catalogue-errors';
import { findPricedProducts, reserveStock } from '../catalogue/product-repository';
import { dialectOf } from '../db/sql';
import { negotiateLocale } from '../marketplaces/locale-negotiation';
import type { MarketplaceService } from '../marketplaces/marketplace-service';
import { createOrderInOneStatement } from './order-creation-statement';
import { DuplicateProductsError } from './order-errors';
import { appendOrderEvent } from './order-events';
import { checkOrderable, explainRefusal } from './order-refusal';
import * as orders from './order-repository';

/**
 * Creates pending orders in their marketplace, each line at the product's price there, its stock
 * reserved and its `created` event appended, in the caller's transaction (the idempotent
 * request's). Where one statement may write several tables (PostgreSQL) the whole order is one
 * statement; elsewhere (SQLite, which serializes writers anyway) it goes step by step.
 */
export class OrderCreation {
  constructor(private readonly marketplaces: MarketplaceService) {}

  /** `languages` are the shopper's (Accept-Language), for the order's locale. */
  async insert(manager: EntityManager, caller: Caller, request: CreateOrderRequest, languages: readonly string[]): Promise<Order> {
    rejectDuplicates(request);
    const code = this.marketplaces.codeOrDefault(request.marketplace);
    if (dialectOf(manager).dataModifyingCtes) {
      // The statement checks the marketplace and its currency itself; what it cannot know is
      // the locale, negotiated against a briefly cached copy of the marketplace.
      const marketplace = await this.marketplaces.forOrder(manager, code, { cached: true });
      return this.inOneStatement(manager, caller, request, marketplace, negotiateLocale(languages, marketplace));
    }
    const marketplace = await this.marketplaces.forOrder(manager, code, { cached: false });
    return this.stepByStep(manager, caller, request, marketplace, negotiateLocale(languages, marketplace));
  }

  private async inOneStatement(manager: EntityManager, caller: Caller, request: CreateOrderRequest, marketplace: Marketplace, locale: string): Promise<Order> {
    const lines = request.products.map(({ id, quantity }) => ({ productId: id, quantity }));
    const outcome = await createOrderInOneStatement(manager, {
      userId: caller.id,
      marketplace: marketplace.code,
      locale,
      currency: request.currency,
      lines,
      at: new Date(),
    });
    if (outcome.order) return outcome.order;
    // Throws: the caller's transaction rolls back the stock that some lines took.
    return explainRefusal(manager, marketplace.code, request, outcome.taken);
  }

  private async stepByStep(manager: EntityManager, caller: Caller, request: CreateOrderRequest, marketplace: Marketplace, locale: string): Promise<Order> {
    const products = await findPricedProducts(manager, marketplace.code, request.products.map((line) => line.id));
    checkOrderable(marketplace, request, products);
    const shortages = await reserveStock(manager, request.products.map(({ id, quantity }) => ({ productId: id, quantity })));
    if (shortages.length) throw new OutOfStockError(shortages);

    const at = new Date();
    const order = await orders.insertOrder(manager, {
      userId: caller.id,
      marketplace: marketplace.code,
      locale,
      currency: marketplace.currency,
      lines: request.products.map(({ id, quantity }) => ({ productId: id, quantity, unitPrice: products.get(id)!.price! })),
      at,
    });
    await appendOrderEvent(manager, {
      orderId: order.id,
      userId: caller.id,
      orderVersion: order.version,
      type: 'created',
      actorUserId: caller.id,
      at,
      from: null,
      to: { status: order.status, marketplace: order.marketplace, locale: order.locale, currency: order.currency, total: order.total, products: order.products },
    });
    return order;
  }
}

function rejectDuplicates(request: CreateOrderRequest): void {
  const seen = new Set<number>();
  const duplicates = request.products.flatMap(({ id }, index) => {
    if (!seen.has(id)) {
      seen.add(id);
      return [];
    }
    return [{ index, id }];
  });
  if (duplicates.length) throw new DuplicateProductsError(duplicates);
}
