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
      shipment: { carrier: 'UPS', trackingNumber: '1Z5R89390357567127', trackingUrl: trackingLink('UPS', '1Z5R89390357567127') },
    });
    const unknown = renderNotification({ ...ORDER, kind: 'order_shipped', shipment: { carrier: 'Bike courier', trackingNumber: '42', trackingUrl: undefined } });

    expect(known.text).toContain('Carrier: UPS\nTracking number: 1Z5R89390357567127\nTrack your parcel: https://www.ups.com/track?tracknum=1Z5R89390357567127\n');
    expect(known.html).toContain('<a href="https://www.ups.com/track?tracknum=1Z5R89390357567127">Track your parcel</a>');
    expect(unknown.text).toContain('Carrier: Bike courier\nTracking number: 42\n\n');
    expect(unknown.text).not.toContain('Track your parcel');
    expect(unknown.html).not.toContain('<a ');
  });
});

describe('tracking links in mails', () => {
  test.each([
    ['USPS', 'RB123456785US', 'https://tools.usps.com/go/TrackConfirmAction?tLabels=RB123456785US'],
    ['ups', '1z5r89390357567127', 'https://www.ups.com/track?tracknum=1Z5R89390357567127'],
    ['DHL', '3318810025', 'https://www.dhl.com/global-en/home/tracking/tracking-express.html?tracking-id=3318810025'],
  ])('when the carrier is %s, then the link is the shipments\' own tracking page for the number', (carrier, number, link) => {
    expect(trackingLink(carrier, number)).toBe(link);
  });

  test.each([
    ['Royal Mail', 'RB123456785US'],
    ['__proto__', '3318810025'],
    ['https://evil.example.com/?n=', '3318810025'],
    ['UPS', 'A&b=c#d'],
  ])('when the carrier is %s with the number %s, then there is no link (none is ever made from the input)', (carrier, number) => {
    expect(trackingLink(carrier, number)).toBeUndefined();
  });
});
