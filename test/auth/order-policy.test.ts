import type { Caller } from '../../service/auth/caller';
import { OrderPolicy, type OrderAction, type OrderPolicyName } from '../../service/auth/order-policy';

const OWNER: Caller = { id: 1, role: 'customer' };
const STRANGER: Caller = { id: 2, role: 'customer' };
const STAFF: Caller = { id: 3, role: 'staff' };
const GERMAN_STAFF: Caller = { id: 4, role: 'staff', marketplaces: ['de'] };
const ORDER_OF_1 = { userId: 1, marketplace: 'us' };
const GERMAN_ORDER_OF_1 = { userId: 1, marketplace: 'de' };

/** [policy, action, owner may, another customer may, staff may] */
const TABLE: Array<[OrderPolicyName, OrderAction, boolean, boolean, boolean]> = [
  ['default', 'read', true, false, true],
  ['default', 'setTracking', true, false, true],
  ['default', 'changeStatus', true, false, true],
  ['default', 'cancel', true, false, true],
  ['default', 'createShipment', true, false, true],
  ['default', 'updateShipment', true, false, true],
  ['default', 'changeShipmentStatus', true, false, true],
  ['default', 'cancelShipment', true, false, true],
  ['strict', 'read', true, false, true],
  ['strict', 'setTracking', false, false, true],
  ['strict', 'changeStatus', false, false, true],
  ['strict', 'cancel', true, false, true],
  ['strict', 'createShipment', false, false, true],
  ['strict', 'updateShipment', false, false, true],
  ['strict', 'changeShipmentStatus', false, false, true],
  ['strict', 'cancelShipment', false, false, true],
];

describe('the order policy table', () => {
  test.each(TABLE)('%s policy, %s: owner %s, another customer %s, staff %s', (name, action, owner, stranger, staff) => {
    const policy = OrderPolicy.named(name);

    expect([OWNER, STRANGER, STAFF].map((caller) => policy.allows(action, caller, ORDER_OF_1))).toEqual([owner, stranger, staff]);
  });

  test.each(['default', 'strict'] as const)('%s policy: anyone may create; listing everyone\'s orders or another user\'s is for staff', (name) => {
    const policy = OrderPolicy.named(name);

    expect(policy.allows('create', STRANGER, { userId: STRANGER.id, marketplace: 'jp' })).toBe(true);
    expect(policy.allows('list', OWNER, { userId: OWNER.id, marketplace: undefined })).toBe(true);
    expect(policy.allows('list', OWNER, { userId: STRANGER.id, marketplace: undefined })).toBe(false);
    expect(policy.allows('list', OWNER, { userId: undefined, marketplace: undefined })).toBe(false);
    expect(policy.allows('list', STAFF, { userId: undefined, marketplace: undefined })).toBe(true);
    expect(policy.allows('list', STAFF, { userId: OWNER.id, marketplace: undefined })).toBe(true);
  });

  test.each(TABLE.filter(([, action]) => action !== 'read'))(
    '%s policy, %s: staff of one marketplace act as staff there, and elsewhere as the customer they also are',
    (name, action, owner, _stranger, staff) => {
      const policy = OrderPolicy.named(name);

      expect(policy.allows(action, GERMAN_STAFF, GERMAN_ORDER_OF_1)).toBe(staff);
      expect(policy.allows(action, GERMAN_STAFF, ORDER_OF_1)).toBe(false);
      expect(policy.allows(action, GERMAN_STAFF, { userId: GERMAN_STAFF.id, marketplace: 'us' })).toBe(owner);
    },
  );

  test.each(['default', 'strict'] as const)('%s policy: staff of one marketplace list every user\'s orders there only, never every marketplace\'s', (name) => {
    const policy = OrderPolicy.named(name);

    expect(policy.allows('read', GERMAN_STAFF, GERMAN_ORDER_OF_1)).toBe(true);
    expect(policy.allows('read', GERMAN_STAFF, ORDER_OF_1)).toBe(false);
    expect(policy.allows('list', GERMAN_STAFF, { userId: undefined, marketplace: 'de' })).toBe(true);
    expect(policy.allows('list', GERMAN_STAFF, { userId: OWNER.id, marketplace: 'de' })).toBe(true);
    expect(policy.allows('list', GERMAN_STAFF, { userId: undefined, marketplace: 'us' })).toBe(false);
    expect(policy.allows('list', GERMAN_STAFF, { userId: undefined, marketplace: undefined })).toBe(false);
  });

  test('when a shop writes its own table, then the guard follows it', () => {
    const readOnly = new OrderPolicy({
      create: () => false,
      list: (caller, scope) => scope.userId === caller.id,
      read: (caller, scope) => scope.userId === caller.id,
      setTracking: () => false,
      changeStatus: () => false,
      cancel: () => false,
      createShipment: () => false,
      updateShipment: () => false,
      changeShipmentStatus: () => false,
      cancelShipment: () => false,
    });

    expect(readOnly.allows('read', OWNER, ORDER_OF_1)).toBe(true);
    expect(readOnly.allows('cancel', STAFF, ORDER_OF_1)).toBe(false);
  });
});
