import { formatMinorUnits } from './money-format';
import { MAIL_WORDING, type NotificationMail, SIGNATURE } from './notification-content';

/** A mail's subject and its two alternative bodies. */
export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** The subject, plain text and HTML of one notification; every value from data is escaped in the HTML. */
export function renderNotification(mail: NotificationMail): RenderedMail {
  return { subject: MAIL_WORDING[mail.kind].subject(mail.orderId), text: renderText(mail), html: renderHtml(mail) };
}

function greeting(mail: NotificationMail): string {
  return mail.recipientName ? `Hello ${mail.recipientName},` : 'Hello,';
}

function money(mail: NotificationMail, amount: number): string {
  return formatMinorUnits(amount, mail.currency);
}

function renderText(mail: NotificationMail): string {
  const wording = MAIL_WORDING[mail.kind];
  const lines = [greeting(mail), '', wording.lead, ''];
  if (mail.shipment) {
    lines.push(`Carrier: ${mail.shipment.carrier}`, `Tracking number: ${mail.shipment.trackingNumber}`);
    if (mail.shipment.trackingUrl) lines.push(`Track your parcel: ${mail.shipment.trackingUrl}`);
    lines.push('');
  }
  lines.push(`${wording.linesTitle} (order #${mail.orderId}):`);
  for (const line of mail.lines) {
    lines.push(`- ${line.productName}: ${line.quantity} × ${money(mail, line.unitPrice)} = ${money(mail, line.lineTotal)}`);
  }
  lines.push(`Order total: ${money(mail, mail.total)}`, '', SIGNATURE, '');
  return lines.join('\n');
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text and attribute values alike: every character that could end one or open markup. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]);
}

const CELL = 'style="padding:4px 8px;border-bottom:1px solid #ddd"';
const NUMBER_CELL = 'style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right"';

function renderHtml(mail: NotificationMail): string {
  const wording = MAIL_WORDING[mail.kind];
  const e = escapeHtml;
  const shipment = mail.shipment
    ? `<p>Carrier: ${e(mail.shipment.carrier)}<br>Tracking number: ${e(mail.shipment.trackingNumber)}` +
      (mail.shipment.trackingUrl ? `<br><a href="${e(mail.shipment.trackingUrl)}">Track your parcel</a>` : '') +
      '</p>'
    : '';
  const rows = mail.lines
    .map(
      (line) =>
        `<tr><td ${CELL}>${e(line.productName)}</td><td ${NUMBER_CELL}>${line.quantity}</td>` +
        `<td ${NUMBER_CELL}>${e(money(mail, line.unitPrice))}</td><td ${NUMBER_CELL}>${e(money(mail, line.lineTotal))}</td></tr>`,
    )
    .join('');
  return [
    '<!DOCTYPE html>',
    `<html><head><meta charset="utf-8"><title>${e(wording.subject(mail.orderId))}</title></head>`,
    '<body style="font-family:sans-serif;color:#222">',
    `<p>${e(greeting(mail))}</p>`,
    `<p>${e(wording.lead)}</p>`,
    shipment,
    `<h3>${e(wording.linesTitle)} (order #${mail.orderId})</h3>`,
    '<table style="border-collapse:collapse">',
    `<tr><th ${CELL}>Product</th><th ${NUMBER_CELL}>Quantity</th><th ${NUMBER_CELL}>Unit price</th><th ${NUMBER_CELL}>Line total</th></tr>`,
    rows,
    `<tr><th ${CELL} colspan="3">Order total</th><th ${NUMBER_CELL}>${e(money(mail, mail.total))}</th></tr>`,
    '</table>',
    `<p>${e(SIGNATURE)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
}
