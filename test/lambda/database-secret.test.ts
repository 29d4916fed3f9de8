import { withDatabaseSecret } from '../../service/serverless/database-secret';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:DatabaseSecret-AbCdEf';
/** What an RDS-generated secret holds. */
const RDS_SECRET = { engine: 'postgres', host: 'cluster.example', port: 5432, username: 'orders_app', password: 'p@ss:w/rd', dbname: 'orders' };

describe('withDatabaseSecret', () => {
  test('when DB_SECRET_ARN is set, then the secret is read once and its username, password and dbname fill DB_USER, DB_PASSWORD, DB_NAME', async () => {
    const read = jest.fn(async () => JSON.stringify(RDS_SECRET));

    const env = await withDatabaseSecret({ DB_HOST: 'cluster.example', DB_SECRET_ARN: SECRET_ARN, DB_SSL: 'verify-full' }, read);

    expect(read).toHaveBeenCalledWith(SECRET_ARN);
    expect(env).toEqual({ DB_HOST: 'cluster.example', DB_SSL: 'verify-full', DB_USER: 'orders_app', DB_PASSWORD: 'p@ss:w/rd', DB_NAME: 'orders' });
  });

  test('when DB_NAME is set beside the secret, then it wins over the secret`s dbname', async () => {
    const env = await withDatabaseSecret({ DB_SECRET_ARN: SECRET_ARN, DB_NAME: 'other' }, async () => JSON.stringify(RDS_SECRET));

    expect(env.DB_NAME).toBe('other');
  });

  test('when DB_SECRET_ARN is not set, then nothing is read and the environment is unchanged', async () => {
    const read = jest.fn();
    const given = { DATABASE_URL: 'postgres://u@h/db' };

    expect(await withDatabaseSecret(given, read)).toBe(given);
    expect(read).not.toHaveBeenCalled();
  });

  test('when the secret is not JSON, then the error names DB_SECRET_ARN and the secret, never its text', async () => {
    const attempt = withDatabaseSecret({ DB_SECRET_ARN: SECRET_ARN }, async () => 'password=hunter2');

    await expect(attempt).rejects.toThrow(`DB_SECRET_ARN: the secret ${SECRET_ARN} could not be read as JSON`);
    await expect(attempt).rejects.not.toThrow(/hunter2/);
  });
});
