import type { NotificationMail } from '../../service/notifications/notification-content';
import { renderNotification } from '../../service/notifications/notification-render';
import { trackingLink } from '../../service/notifications/tracking-links';

const ORDER: NotificationMail = {
  kind: 'order_received',
  orderId: 12,
  recipientName: 'Ada Lovelace',
  currency: 'USD',
  lines: [
    { productName: 'Chocolate bar', quantity: 7, unitPrice: 299, lineTotal: 2093 },
    { productName: 'Espresso beans, 1 kg', quantity: 1, unitPrice: 1529, lineTotal: 1529 },
  ],
  total: 3622,
  shipment: null,
};

describe('rendering a notification', () => {
  test('when an order is received, then both bodies list each line with quantity, unit price and line total, and the total', () => {
    const mail = renderNotification(ORDER);

    expect(mail.subject).toBe('We received your order #12');
    expect(mail.text).toContain('Hello Ada Lovelace,');
    expect(mail.text).toContain('- Chocolate bar: 7 × $2.99 = $20.93\n- Espresso beans, 1 kg: 1 × $15.29 = $15.29\nOrder total: $36.22');
    expect(mail.html).toContain('<td style="padding:4px 8px;border-bottom:1px solid #ddd">Chocolate bar</td>');
    expect(mail.html).toMatch(/>7<\/td><td [^>]+>\$2\.99<\/td><td [^>]+>\$20\.93<\/td>/);
    expect(mail.html).toMatch(/Order total<\/th><th [^>]+>\$36\.22<\/th>/);
  });

  test.each([
    ['order_shipped', 'Your order #12 has shipped'],
    ['order_delivered', 'Your order #12 was delivered'],
    ['order_cancelled', 'Your order #12 was cancelled'],
  ] as const)('when the kind is %s, then the subject is "%s"', (kind, subject) => {
    expect(renderNotification({ ...ORDER, kind }).subject).toBe(subject);
  });

  test('when the owner has no name, then the greeting has none', () => {
    expect(renderNotification({ ...ORDER, recipientName: '' }).text).toMatch(/^Hello,\n/);
  });

  test('when the order is in yen or dinars, then amounts carry that currency\'s decimals', () => {
    const lines = [{ productName: 'Tea', quantity: 3, unitPrice: 1250, lineTotal: 3750 }];

    expect(renderNotification({ ...ORDER, currency: 'JPY', lines, total: 3750 }).text).toContain('- Tea: 3 × ¥1,250 = ¥3,750\nOrder total: ¥3,750');
    expect(renderNotification({ ...ORDER, currency: 'BHD', lines, total: 3750 }).text).toContain('- Tea: 3 × BHD\u00a01.250 = BHD\u00a03.750\nOrder total: BHD\u00a03.750');
  });

  test('when names and carriers hold markup, then the HTML escapes every one of them and the text keeps them as written', () => {
    const hostile: NotificationMail = {
      ...ORDER,
      kind: 'order_shipped',
      recipientName: '<img src=x onerror=alert(1)>',
      lines: [{ productName: 'Mug "Best" <b>Boss</b> & Co\'s', quantity: 1, unitPrice: 100, lineTotal: 100 }],
      total: 100,
      shipment: { carrier: '<script>alert("x")</script>', trackingNumber: 'A1', trackingUrl: undefined },
    };

    const mail = renderNotification(hostile);

    expect(mail.html).toContain('Hello &lt;img src=x onerror=alert(1)&gt;,');
    expect(mail.html).toContain('Mug &quot;Best&quot; &lt;b&gt;Boss&lt;/b&gt; &amp; Co&#39;s');
    expect(mail.html).toContain('Carrier: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(mail.html).not.toMatch(/<script|<img|<b>/);
    expect(mail.text).toContain('Carrier: <script>alert("x")</script>');
    expect(mail.text).toContain('- Mug "Best" <b>Boss</b> & Co\'s: 1 × $1.00 = $1.00');
  });

  test('when a shipped order\'s carrier is known, then both bodies carry its tracking link; when not, then neither has one', () => {
    const known = renderNotification({
      ...ORDER,
      kind: 'order_shipped',
      shipment: { carrier: 'UPS', trackingNumber: '1Z999AA10123456784', trackingUrl: trackingLink('UPS', '1Z999AA10123456784') },
    });
    const unknown = renderNotification({ ...ORDER, kind: 'order_shipped', shipment: { carrier: 'Bike courier', trackingNumber: '42', trackingUrl: undefined } });

    expect(known.text).toContain('Carrier: UPS\nTracking number: 1Z999AA10123456784\nTrack your parcel: https://www.ups.com/track?tracknum=1Z999AA10123456784\n');
    expect(known.html).toContain('<a href="https://www.ups.com/track?tracknum=1Z999AA10123456784">Track your parcel</a>');
    expect(unknown.text).toContain('Carrier: Bike courier\nTracking number: 42\n\n');
    expect(unknown.text).not.toContain('Track your parcel');
    expect(unknown.html).not.toContain('<a ');
  });
});

describe('tracking links', () => {
  test.each([
    ['USPS', '9400 1000 0000 0000 0000 00', 'https://tools.usps.com/go/TrackConfirmAction?tLabels=9400100000000000000000'],
    ['ups', '1Z999AA10123456784', 'https://www.ups.com/track?tracknum=1Z999AA10123456784'],
    ['FedEx', '123456789012', 'https://www.fedex.com/fedextrack/?trknbr=123456789012'],
    ['Fed Ex', '123456789012', 'https://www.fedex.com/fedextrack/?trknbr=123456789012'],
    ['DHL', '1234567890', 'https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=1234567890'],
  ])('when the carrier is %s, then the link is its own tracking page for the number', (carrier, number, link) => {
    expect(trackingLink(carrier, number)).toBe(link);
  });

  test.each([['Royal Mail'], ['constructor'], ['__proto__'], ['https://evil.example.com/?n=']])(
    'when the carrier is %s, then there is no link (none is ever made from the input)',
    (carrier) => {
      expect(trackingLink(carrier, '123')).toBeUndefined();
    },
  );

  test('when a number holds characters a URL gives meaning to, then they are encoded', () => {
    expect(trackingLink('UPS', 'A&b=c#d')).toBe('https://www.ups.com/track?tracknum=A%26b%3Dc%23d');
  });
});
