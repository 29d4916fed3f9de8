import { Router, type Response } from 'express';
import type { OperationHandler } from '../api-types';
import { PAGE_SIZE, parsePathId, queryInteger } from '../http/integer-parameters';
import { negotiateLocale } from '../marketplaces/locale-negotiation';
import type { MarketplaceService } from '../marketplaces/marketplace-service';
import type { CatalogueService, CatalogueView } from './catalogue-service';

/** /products: a marketplace's catalogue with its prices and the stock, in the shopper's language. */
export function productRoutes(catalogue: CatalogueService, marketplaces: MarketplaceService): Router {
  /** The marketplace and language of the answer, which say so in their headers. */
  async function viewOf(languages: string[], res: Response, code: string | undefined): Promise<CatalogueView> {
    const marketplace = await marketplaces.forReading(code);
    const locale = negotiateLocale(languages, marketplace);
    res.set('Content-Language', locale).vary('Accept-Language');
    return { marketplace, locale };
  }

  const listProducts: OperationHandler<'listProducts'> = async (req, res) => {
    const view = await viewOf(req.acceptsLanguages(), res, req.query.marketplace);
    res.json(await catalogue.list(req.caller!, view, { limit: queryInteger(req, 'limit', PAGE_SIZE, PAGE_SIZE.default), cursor: req.query.cursor }));
  };

  const getProduct: OperationHandler<'getProduct'> = async (req, res) => {
    const view = await viewOf(req.acceptsLanguages(), res, req.query.marketplace);
    res.json(await catalogue.get(req.caller!, parsePathId(req.params.id), view));
  };

  const router = Router();
  router.get('/', listProducts);
  router.get('/:id', getProduct);
  return router;
}
