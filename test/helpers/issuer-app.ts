import { createTestApp, type TestApp, type TestAppOptions } from './test-app';
import { TestIssuer } from './token-issuer';

/**
 * A token issuer of the test's own and the real app in JWT mode, trusting it (`env` adds to the
 * issuer's variables). The app's close() closes the app, then the issuer.
 */
export async function startIssuerApp(options: TestAppOptions = {}): Promise<{ issuer: TestIssuer; t: TestApp }> {
  const issuer = await TestIssuer.start();
  let app: TestApp;
  try {
    app = await createTestApp({ ...options, env: issuer.env(options.env) });
  } catch (error) {
    await issuer.close();
    throw error;
  }
  const close = async () => {
    await app.close();
    await issuer.close();
  };
  return { issuer, t: { ...app, close } };
}
