import { Router } from 'express';
import type { OperationHandler } from '../api-types';
import type { Database } from '../db/database';
import { problemType, ServiceUnavailableError } from '../errors';
import type { Lifecycle } from './lifecycle';

const PING_TIMEOUT_MS = 2000;

/** Liveness never touches the database (a slow database must not get the task killed); readiness does. */
export function healthRoutes(db: Database, lifecycle: Lifecycle): Router {
  const getLiveness: OperationHandler<'getLiveness'> = (_req, res) => {
    res.json({ status: 'ok' });
  };

  const getReadiness: OperationHandler<'getReadiness'> = async (_req, res) => {
    const database = (await answersWithin(db.ping(), PING_TIMEOUT_MS)) ? 'up' : 'down';
    if (lifecycle.draining) {
      throw new ServiceUnavailableError('The service is shutting down.', {
        title: 'Service not ready',
        type: problemType('not-ready'),
        extensions: { checks: { database, shutdown: 'draining' } },
      });
    }
    if (database === 'down') {
      throw new ServiceUnavailableError('The database does not answer.', {
        title: 'Service not ready',
        type: problemType('not-ready'),
        extensions: { checks: { database } },
      });
    }
    res.json({ status: 'ready', checks: { database } });
  };

  const router = Router();
  router.get('/live', getLiveness);
  router.get('/ready', getReadiness);
  return router;
}

async function answersWithin(ping: Promise<void>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([ping.then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
