/** The longest address SMTP can carry: RFC 5321's 256-octet path less its angle brackets. */
export const MAX_EMAIL_LENGTH = 254;

/**
 * One plain `local@domain.tld` address: no display name, no spaces or control characters, and none
 * of the characters that separate or quote addresses in a header (`,;<>()"[]\`), so a value stored
 * here can only ever reach the one mailbox it names. Stricter than RFC 5322 allows (quoted local
 * parts, address literals), which no identity provider issues for real users.
 */
const PLAIN_ADDRESS = /^[^\s@,;<>()"[\]\\\x00-\x1F\x7F]+@[^\s@,;<>()"[\]\\\x00-\x1F\x7F.]+(\.[^\s@,;<>()"[\]\\\x00-\x1F\x7F.]+)+$/;

/** The address when `value` is one plain address (see PLAIN_ADDRESS); otherwise undefined. */
export function plainEmailAddress(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const address = value.trim();
  return address.length <= MAX_EMAIL_LENGTH && PLAIN_ADDRESS.test(address) ? address : undefined;
}
