import leftOut = require('../../service/serverless/left-out-package');

describe('the stand-in for packages left out of the Lambda bundles (serverless/left-out-package.ts)', () => {
  test('when required, then it is an empty module that is not an ES module', () => {
    expect(Object.keys(leftOut)).toEqual([]);
    expect(leftOut.__esModule).toBeUndefined();
  });

  test('when anything of it is used, then it throws, naming the export and where the list is', () => {
    expect(() => leftOut.globSync).toThrow(/left out of this Lambda bundle was used \(its export globSync\).*LEFT_OUT_PACKAGES/);
  });
});
