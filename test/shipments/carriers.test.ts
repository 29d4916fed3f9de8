import { carrierNamed, trackingNumberProblem, trackingUrl } from '../../service/shipments/carriers';
import { fulfilmentOf, orderStatusFor } from '../../service/shipments/fulfilment';

describe('carriers', () => {
  test.each([
    ['USPS', '0307 1790 0005 2348 3741', 'https://tools.usps.com/go/TrackConfirmAction?tLabels=03071790000523483741'],
    ['USPS', 'RB123456785US', 'https://tools.usps.com/go/TrackConfirmAction?tLabels=RB123456785US'],
    ['UPS', '1z5r89390357567127', 'https://www.ups.com/track?tracknum=1Z5R89390357567127'],
    ['FedEx', '9611020987654312345672', 'https://www.fedex.com/fedextrack/?trknbr=9611020987654312345672'],
    ['DHL', '3318810025', 'https://www.dhl.com/global-en/home/tracking/tracking-express.html?tracking-id=3318810025'],
  ] as const)('when a %s number %s is checked, then it passes and its link is built from the template', (carrier, number, url) => {
    expect([trackingNumberProblem(carrier, number), trackingUrl(carrier, number)]).toEqual([undefined, url]);
  });

  test.each([
    ['UPS', '1Z5R89390357567128'],
    ['USPS', 'RB123456785GB'],
    ['FedEx', '1234'],
    ['DHL', '3318810026'],
  ] as const)('when a %s number %s has a wrong check digit or format, then it is refused and gets no link', (carrier, number) => {
    expect(trackingNumberProblem(carrier, number)).toMatch(new RegExp(`^'${number}' is not a ${carrier} tracking number`));
    expect(trackingUrl(carrier, number)).toBeNull();
  });

  test('when the carrier is other, then any number passes and no link is made', () => {
    expect([trackingNumberProblem('other', 'anything 1'), trackingUrl('other', 'anything 1')]).toEqual([undefined, null]);
  });

  test('when an old provider name is read, then a known carrier\'s name in any case means it, anything else is other', () => {
    expect(['USPS', ' ups ', 'Fedex', 'dhl', 'DHL Express', 'La Poste'].map(carrierNamed)).toEqual(['USPS', 'UPS', 'FedEx', 'DHL', 'other', 'other']);
  });
});

describe('fulfilment', () => {
  const lines = [
    { id: 1, quantity: 7 },
    { id: 2, quantity: 1 },
  ];
  const shipment = (status: 'pending' | 'shipped' | 'delivered' | 'cancelled', ...held: Array<[number, number]>) => ({
    status,
    lines: held.map(([orderLineId, quantity]) => ({ orderLineId, productId: 0, quantity })),
  });

  test.each([
    ['no shipment', [], 'unfulfilled', 'pending'],
    ['only a cancelled one', [shipment('cancelled', [1, 7], [2, 1])], 'unfulfilled', 'pending'],
    ['some units pending', [shipment('pending', [1, 3])], 'partially_fulfilled', 'pending'],
    ['every unit pending', [shipment('pending', [1, 7]), shipment('pending', [2, 1])], 'fulfilled', 'pending'],
    ['some units shipped', [shipment('shipped', [1, 7]), shipment('pending', [2, 1])], 'partially_shipped', 'processing'],
    ['every unit shipped, one delivered', [shipment('delivered', [1, 7]), shipment('shipped', [2, 1])], 'shipped', 'shipped'],
    ['every unit delivered', [shipment('delivered', [1, 7]), shipment('delivered', [2, 1])], 'delivered', 'delivered'],
  ] as const)('when the order has %s, then it is %s and a pending order becomes %s', (_case, shipments, fulfilment, status) => {
    expect(fulfilmentOf(lines, shipments)).toBe(fulfilment);
    expect(orderStatusFor('pending', fulfilmentOf(lines, shipments))).toBe(status);
  });

  test('when the order is cancelled or already further, then the shipments never move it back', () => {
    expect(orderStatusFor('cancelled', 'delivered')).toBe('cancelled');
    expect(orderStatusFor('processing', 'unfulfilled')).toBe('processing');
    expect(orderStatusFor('delivered', 'shipped')).toBe('delivered');
  });
});
