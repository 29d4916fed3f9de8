import type { Caller } from './caller';

/** What a caller does with orders and their shipments; named after the operations. */
export type OrderAction =
  | 'create'
  | 'list'
  | 'read'
  | 'setTracking'
  | 'changeStatus'
  | 'cancel'
  | 'createShipment'
  | 'updateShipment'
  | 'changeShipmentStatus'
  | 'cancelShipment';

/**
 * The orders an action is about: one order, or for `list` the user whose orders are listed
 * (`userId: undefined` meaning every user's) in one marketplace (`marketplace: undefined`
 * meaning every marketplace's).
 */
export interface OrderScope {
  readonly userId: number | undefined;
  readonly marketplace: string | undefined;
}

type Rule = (caller: Caller, scope: OrderScope) => boolean;

const anyCaller: Rule = () => true;
const owner: Rule = (caller, scope) => scope.userId === caller.id;
/** Staff, of every marketplace or of the one in scope (a scoped staff member never covers "every marketplace"). */
const staff: Rule = (caller, scope) =>
  caller.role === 'staff' && (caller.marketplaces === undefined || (scope.marketplace !== undefined && caller.marketplaces.includes(scope.marketplace)));
const ownerOrStaff: Rule = (caller, scope) => owner(caller, scope) || staff(caller, scope);

export type PolicyTable = Readonly<Record<OrderAction, Rule>>;

/**
 * The origin design: owners do everything with their own orders, shipments included; staff with
 * anyone's. In header mode every caller is a customer, so this is also what lets a developer (and
 * the docs' examples) try shipments at all.
 */
const DEFAULT_POLICY: PolicyTable = {
  create: anyCaller,
  list: ownerOrStaff,
  read: ownerOrStaff,
  setTracking: ownerOrStaff,
  changeStatus: ownerOrStaff,
  cancel: ownerOrStaff,
  createShipment: ownerOrStaff,
  updateShipment: ownerOrStaff,
  changeShipmentStatus: ownerOrStaff,
  cancelShipment: ownerOrStaff,
};

/**
 * Fulfilment is the shop's: customers create, read and cancel their orders (which cancels their
 * pending shipments); only staff track, ship and move orders and their shipments.
 */
const STRICT_POLICY: PolicyTable = {
  ...DEFAULT_POLICY,
  setTracking: staff,
  changeStatus: staff,
  createShipment: staff,
  updateShipment: staff,
  changeShipmentStatus: staff,
  cancelShipment: staff,
};

const POLICIES = { default: DEFAULT_POLICY, strict: STRICT_POLICY } as const;
export type OrderPolicyName = keyof typeof POLICIES;
export const ORDER_POLICY_NAMES = Object.keys(POLICIES) as OrderPolicyName[];

/** Who may do what with orders: the one place the ownership guard asks. */
export class OrderPolicy {
  constructor(private readonly table: PolicyTable) {}

  static named(name: OrderPolicyName): OrderPolicy {
    return new OrderPolicy(POLICIES[name]);
  }

  allows(action: OrderAction, caller: Caller, scope: OrderScope): boolean {
    return this.table[action](caller, scope);
  }
}
