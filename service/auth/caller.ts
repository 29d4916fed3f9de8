/** What a caller may be: staff act on any order; customers on their own (see order-policy.ts). */
export type Role = 'customer' | 'staff';

/** Who is calling: set by the authentication middleware, read by guards and handlers. */
export interface Caller {
  /** The users row's id: the `userId` that orders carry. */
  readonly id: number;
  readonly role: Role;
  /**
   * Staff limited to these marketplaces (roles `staff:<code>`); absent for staff of every
   * marketplace and for customers, who may order in any.
   */
  readonly marketplaces?: readonly string[];
}

declare module 'http' {
  interface IncomingMessage {
    /** The authenticated caller; present on every route behind `authenticate`. */
    caller?: Caller;
  }
}
