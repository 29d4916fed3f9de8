import { Router, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Contract } from '../contract';

/** Where the interactive API reference lives. It is a page for people, not an API operation. */
export const DOCS_PATH = '/docs';

/** The files the page loads, all shipped in swagger-ui-dist; nothing else of that package is served. */
const ASSETS = [
  '/swagger-ui.css',
  '/swagger-ui-bundle.js',
  '/swagger-ui-standalone-preset.js',
  '/swagger-ui-init.js',
  '/favicon-16x16.png',
  '/favicon-32x32.png',
];

/**
 * Swagger UI rendering the contract, with its assets served from swagger-ui-dist so that the page
 * works offline. Mounted before the validator: these routes are outside openapi.yaml. The page is
 * built on its first visit rather than with the app: a Lambda container's first request is almost
 * never for it, and its cold start then skips loading Swagger UI's server side.
 */
export function docsRoutes(contract: Contract): Router {
  let page: Router | undefined;
  const router = Router();
  router.use(docsContentSecurityPolicy);
  router.use((req, res, next) => {
    page ??= swaggerUiPage(contract);
    page(req, res, next);
  });
  return router;
}

function swaggerUiPage(contract: Contract): Router {
  const swaggerUi = require('swagger-ui-express') as typeof import('swagger-ui-express');
  const document = {
    ...contract.document(),
    // "Try it out" calls the service that served the page, wherever it runs. The contract's server
    // is the development one (http://localhost:3000), and connect-src 'self' forbids any other.
    servers: [{ url: '/', description: 'This service' }],
  };
  // No validator badge: it would load an image from validator.swagger.io.
  // customCss: '' because swagger-ui-express otherwise writes "undefined" into the page's style.
  const options = { customSiteTitle: 'Order Service API reference', customCss: '', swaggerOptions: { validatorUrl: null } };

  const page = Router();
  page.get('/', redirectToFolder, swaggerUi.setup(document, options));
  page.get(ASSETS, ...swaggerUi.serveFiles(document, options));
  return page;
}

/**
 * helmet's default policy with one directive less. The page's scripts are all files from 'self'
 * and its inline styles are already allowed by the default style-src, so nothing else is needed.
 * upgrade-insecure-requests goes because it turns the page's own relative asset and "Try it out"
 * requests into https ones: over plain HTTP on any host but localhost (a container, a LAN) the
 * page would load nothing. Over HTTPS every URL of the page is relative, so nothing is lost.
 */
const docsContentSecurityPolicy = helmet.contentSecurityPolicy({
  directives: { upgradeInsecureRequests: null },
});

/** The page refers to its assets relatively (./swagger-ui.css), so it must be served at /docs/. */
const redirectToFolder: RequestHandler = (req, res, next) => {
  if (req.originalUrl.split('?')[0].endsWith('/')) return next();
  res.redirect(301, `${req.baseUrl}/`);
};
