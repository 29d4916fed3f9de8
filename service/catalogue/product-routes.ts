import { Router } from 'express';
import type { OperationHandler } from '../api-types';
import { PAGE_SIZE, parsePathId, queryInteger } from '../http/integer-parameters';
import type { CatalogueService } from './catalogue-service';

/** /products: the catalogue with prices and stock. */
export function productRoutes(catalogue: CatalogueService): Router {
  const listProducts: OperationHandler<'listProducts'> = async (req, res) => {
    res.json(await catalogue.list(req.caller!, { limit: queryInteger(req, 'limit', PAGE_SIZE, PAGE_SIZE.default), cursor: req.query.cursor }));
  };

  const getProduct: OperationHandler<'getProduct'> = async (req, res) => {
    res.json(await catalogue.get(req.caller!, parsePathId(req.params.id)));
  };

  const router = Router();
  router.get('/', listProducts);
  router.get('/:id', getProduct);
  return router;
}
