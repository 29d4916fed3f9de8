import { Router } from 'express';
import type { OperationHandler } from '../api-types';
import type { MarketplaceService } from './marketplace-service';

/** /marketplaces: public, so a storefront can offer the choice before anyone signs in. */
export function marketplaceRoutes(marketplaces: MarketplaceService): Router {
  const listMarketplaces: OperationHandler<'listMarketplaces'> = async (_req, res) => {
    res.json({ data: await marketplaces.list() });
  };

  const getMarketplace: OperationHandler<'getMarketplace'> = async (req, res) => {
    res.json(await marketplaces.get(req.params.code));
  };

  const router = Router();
  router.get('/', listMarketplaces);
  router.get('/:code', getMarketplace);
  return router;
}
