import leftOutDriver = require('../../service/serverless/left-out-driver');

describe('the stand-in for TypeORM drivers left out of the Lambda bundles (serverless/left-out-driver.ts)', () => {
  test('when required, then it is an empty module that is not an ES module', () => {
    const driver = leftOutDriver('typeorm/driver/mysql/MysqlDriver.js');

    expect(Object.keys(driver)).toEqual([]);
    expect(driver.__esModule).toBeUndefined();
  });

  test('when one of its classes is constructed, then it throws, naming the driver', () => {
    const { MysqlDriver } = leftOutDriver('typeorm/driver/mysql/MysqlDriver.js') as { MysqlDriver: new () => unknown };

    expect(() => new MysqlDriver()).toThrow('typeorm/driver/mysql/MysqlDriver.js is left out of this Lambda bundle, which runs PostgreSQL only');
  });
});
