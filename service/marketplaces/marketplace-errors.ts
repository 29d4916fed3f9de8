import { AppError, NotFoundError, problemType, UnprocessableError } from '../errors';

export class MarketplaceNotFoundError extends NotFoundError {
  constructor(code: string) {
    super(`Marketplace ${code} was not found.`);
  }
}

/**
 * A request names a marketplace that does not exist: 422 in an order's body (well-formed, but
 * nothing can be ordered there), 400 in a query (a listing filtered by a typo would look empty).
 */
export class UnknownMarketplaceError extends AppError {
  constructor(code: string, where: 'body' | 'query') {
    const detail = `There is no marketplace ${code}; GET /marketplaces lists them.`;
    const path = where === 'body' ? '/body/marketplace' : '/query/marketplace';
    super(where === 'body' ? 422 : 400, detail, {
      title: 'Unknown marketplace',
      type: problemType('unknown-marketplace'),
      extensions: { errors: [{ path, message: `marketplace ${code} does not exist` }] },
    });
  }
}

/** Orders of this marketplace are held by another region's deployment (MARKETPLACES). */
export class MarketplaceNotServedError extends UnprocessableError {
  constructor(code: string, region: string, served: readonly string[]) {
    super(`Orders of marketplace ${code} are taken in ${region}; this deployment takes orders of ${served.join(', ')}. Nothing was ordered.`, {
      title: 'Marketplace not served here',
      type: problemType('marketplace-not-served'),
      errors: [{ path: '/body/marketplace', message: `marketplace ${code} is served in ${region}` }],
    });
  }
}
