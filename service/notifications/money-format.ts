import { currencyExponent } from '../marketplaces/currency-exponents';

/** The language of the mails' text; amounts follow its conventions (separators, symbol placement). */
export const MAIL_LOCALE = 'en-US';

const formats = new Map<string, Intl.NumberFormat>();

function currencyFormat(currency: string, locale: string): Intl.NumberFormat {
  const key = `${locale}:${currency}`;
  let format = formats.get(key);
  if (!format) {
    // ISO's exponent, not CLDR's usual digits: every stored minor unit is shown (RSD 2, not 0).
    const digits = currencyExponent(currency);
    format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    formats.set(key, format);
  }
  return format;
}

/**
 * An amount in integer minor units, formatted for people: 3622 USD is "$36.22", 3622 JPY is
 * "¥3,622". The decimal is built as a string and handed to Intl as one (exact, ES2023), so no
 * floating-point division ever touches the amount.
 */
export function formatMinorUnits(amount: number, currency: string, locale = MAIL_LOCALE): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`an amount in minor units must be a safe integer (got ${amount})`);
  const exponent = currencyExponent(currency);
  const digits = Math.abs(amount).toString().padStart(exponent + 1, '0');
  const units = digits.slice(0, digits.length - exponent);
  const decimal = exponent === 0 ? units : `${units}.${digits.slice(digits.length - exponent)}`;
  return currencyFormat(currency, locale).format(`${amount < 0 ? '-' : ''}${decimal}` as Intl.StringNumericLiteral);
}
