import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { authenticate } from './auth/authenticate';
import { OrderPolicy } from './auth/order-policy';
import type { Config } from './config';
import { loadContract } from './contract';
import type { Database } from './db/database';
import { docsRoutes, DOCS_PATH } from './docs/docs-routes';
import { healthRoutes } from './health/health-routes';
import { Lifecycle } from './health/lifecycle';
import { answerConditionalGets } from './http/conditional-get';
import { contractValidator } from './http/contract-validator';
import { corsPolicy } from './http/cors-policy';
import { errorHandler, unknownRoute } from './http/error-handler';
import { headAsGet } from './http/head-requests';
import { jsonBody } from './http/json-body';
import { httpLogger } from './http/logger';
import { CatalogueService } from './catalogue/catalogue-service';
import { productRoutes } from './catalogue/product-routes';
import { marketplaceRoutes } from './marketplaces/marketplace-routes';
import { MarketplaceService } from './marketplaces/marketplace-service';
import { IdempotentRequests } from './orders/idempotency';
import { IdempotentCreation } from './orders/idempotent-creation';
import { OrderChanges } from './orders/order-change';
import { OrderCreation } from './orders/order-creation';
import { orderRoutes } from './orders/order-routes';
import { OrderService } from './orders/order-service';
import { ShipmentService } from './orders/shipment-service';

export interface AppDependencies {
  readonly db: Database;
  readonly logger: Logger;
  readonly config: Pick<Config, 'bodyLimitBytes' | 'auth' | 'orderPolicy' | 'corsAllowedOrigins' | 'marketplaces'>;
  readonly lifecycle?: Lifecycle;
  /** Check every response against openapi.yaml too (tests turn this on). */
  readonly validateResponses?: boolean;
  /**
   * Check openapi.yaml itself against the OpenAPI schema while building the app. Only a Lambda
   * cold start skips it: the same file passed it in the tests and at every other start.
   * @default true
   */
  readonly checkContract?: boolean;
}

/** Builds the Express app; it never listens, so tests drive it in-process. */
export function createApp({ db, logger, config, lifecycle = new Lifecycle(), validateResponses = false, checkContract = true }: AppDependencies): Express {
  const contract = loadContract();
  const app = express();
  app.disable('x-powered-by');
  answerConditionalGets(app);

  app.use(httpLogger(logger));
  app.use(helmet());
  // Before the validator, which would answer a preflight OPTIONS with 405.
  app.use(corsPolicy(config.corsAllowedOrigins));
  app.use((_req, res, next) => {
    // While draining, each answer closes its keep-alive connection so clients reconnect elsewhere.
    lifecycle.track(res);
    next();
  });
  // A page for people, not an API operation: ahead of the validator, which answers 404 to
  // anything openapi.yaml does not document.
  app.use(DOCS_PATH, docsRoutes(contract));
  app.use(headAsGet);
  // Who is calling comes before what they sent: without valid credentials the answer is 401,
  // whatever else is wrong with the request, and nothing about the contract is revealed.
  app.use(['/orders', '/products'], authenticate(db, config.auth));
  app.use(jsonBody(config.bodyLimitBytes));
  app.use(contractValidator(contract, validateResponses, checkContract));

  app.get('/openapi.yaml', (_req, res) => {
    res.type('application/yaml').send(contract.text);
  });
  app.use('/health', healthRoutes(db, lifecycle));
  const policy = OrderPolicy.named(config.orderPolicy);
  const changes = new OrderChanges(db, policy);
  const marketplaces = new MarketplaceService(db, config.marketplaces);
  const orders = new OrderService(db, changes);
  const shipments = new ShipmentService(changes);
  const creation = new IdempotentCreation(new IdempotentRequests(db), new OrderCreation(marketplaces), shipments);
  app.use('/orders', orderRoutes(orders, shipments, creation, policy, marketplaces));
  app.use('/products', productRoutes(new CatalogueService(db), marketplaces));
  app.use('/marketplaces', marketplaceRoutes(marketplaces));

  app.use(unknownRoute);
  app.use(errorHandler);
  return app;
}
