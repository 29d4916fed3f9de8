import { currencyExponent } from '../../service/marketplaces/currency-exponents';
import { formatMinorUnits } from '../../service/notifications/money-format';

describe('amounts in minor units, formatted for the currency', () => {
  test.each([
    ['JPY', 0],
    ['KRW', 0],
    ['USD', 2],
    ['EUR', 2],
    ['BHD', 3],
    ['KWD', 3],
    ['TND', 3],
    ['CLF', 4],
    // CLDR writes Serbian dinars without decimals; ISO 4217, whose minor units we store, has 2.
    ['RSD', 2],
    ['HUF', 2],
  ])('when the currency is %s, then its minor unit has %i decimal places', (currency, exponent) => {
    expect(currencyExponent(currency)).toBe(exponent);
  });

  test.each([
    [3622, 'USD', '$36.22'],
    [3622, 'JPY', '¥3,622'],
    [3622, 'BHD', 'BHD\u00a03.622'],
    [1234567, 'KWD', 'KWD\u00a01,234.567'],
    [5, 'BHD', 'BHD\u00a00.005'],
    [5, 'USD', '$0.05'],
    [0, 'USD', '$0.00'],
    [0, 'JPY', '¥0'],
    [123456, 'RSD', 'RSD\u00a01,234.56'],
    [-1529, 'USD', '-$15.29'],
    [123456789, 'EUR', '€1,234,567.89'],
    // Beyond what a double holds to the cent after dividing by 100 (2^53 - 1 minor units).
    [9007199254740991, 'USD', '$90,071,992,547,409.91'],
  ])('when %i minor units of %s are formatted, then they read %s', (amount, currency, expected) => {
    expect(formatMinorUnits(amount, currency)).toBe(expected);
  });

  test('when another locale is asked for, then its separators and symbol placement are used', () => {
    expect(formatMinorUnits(123456, 'EUR', 'de-DE')).toBe('1.234,56\u00a0€');
  });

  test('when the amount is not a safe integer, then it is refused rather than rounded', () => {
    expect(() => formatMinorUnits(12.5, 'USD')).toThrow(RangeError);
    expect(() => formatMinorUnits(2 ** 53, 'USD')).toThrow(RangeError);
  });
});
