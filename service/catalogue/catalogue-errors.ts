import { ConflictError, NotFoundError, problemType } from '../errors';

export interface Shortage {
  readonly productId: number;
  readonly requested: number;
  readonly available: number;
}

export class ProductNotFoundError extends NotFoundError {
  constructor(id: number, marketplace: string) {
    super(`Product ${id} is not on sale in marketplace ${marketplace}.`);
  }
}

export class OutOfStockError extends ConflictError {
  constructor(shortages: Shortage[]) {
    const list = shortages.map((s) => `product ${s.productId} (requested ${s.requested}, available ${s.available})`).join(', ');
    super(`Not enough stock for ${list}. Nothing was ordered.`, { title: 'Not enough stock', type: problemType('out-of-stock'), extensions: { shortages } });
  }
}
