/**
 * ISO 4217's minor-unit exponents, the ones that are not 2 (the ISO list, amendment 178). Not the
 * runtime's CLDR data: CLDR gives the digits people usually write, which differ for some
 * currencies (RSD: ISO 2, CLDR 0), and amounts stored in minor units must mean what ISO says, or
 * a price shows 100 times too small.
 */
const EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

const KNOWN = new Set(Intl.supportedValuesOf('currency'));

/** Whether the code is an ISO 4217 currency: one the runtime knows, or a fund code (CLF) of the table above. */
export function isKnownCurrency(code: string): boolean {
  return KNOWN.has(code) || code in EXPONENTS;
}

/** How many decimal places a currency's minor unit has: JPY 0, USD 2, BHD 3. */
export function currencyExponent(currency: string): number {
  if (!/^[A-Z]{3}$/.test(currency)) throw new RangeError(`${currency} is not an ISO 4217 currency code`);
  return EXPONENTS[currency] ?? 2;
}
