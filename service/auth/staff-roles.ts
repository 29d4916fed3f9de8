import type { Caller } from './caller';

/**
 * What a token's roles make of the caller: `staff` (AUTH_STAFF_ROLE) is staff of every
 * marketplace; `staff:de`, `staff:jp` staff of those marketplaces only; anything else a customer.
 * The unscoped role wins over scoped ones.
 */
export function roleOfRoles(roles: readonly string[], staffRole: string): Pick<Caller, 'role' | 'marketplaces'> {
  if (roles.includes(staffRole)) return { role: 'staff' };
  const prefix = `${staffRole}:`;
  const marketplaces = roles.filter((role) => role.startsWith(prefix) && /^[a-z]{2,8}$/.test(role.slice(prefix.length))).map((role) => role.slice(prefix.length));
  return marketplaces.length > 0 ? { role: 'staff', marketplaces: [...new Set(marketplaces)] } : { role: 'customer' };
}
