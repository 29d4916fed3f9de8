import type { NotificationKind } from './notification-kinds';

/** What one mail is about, every value as stored (amounts in minor units), nothing escaped yet. */
export interface NotificationMail {
  readonly kind: NotificationKind;
  readonly orderId: number;
  /** The owner's name; empty when the service knows none (users from tokens). */
  readonly recipientName: string;
  readonly currency: string;
  readonly lines: readonly MailLine[];
  /** The order's total, in minor units. */
  readonly total: number;
  /** The parcel a shipped mail names; null for the other kinds, or an order shipped without tracking. */
  readonly shipment: MailShipment | null;
}

export interface MailLine {
  readonly productName: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly lineTotal: number;
}

export interface MailShipment {
  readonly carrier: string;
  readonly trackingNumber: string;
  /** The carrier's tracking page, when the carrier is known (tracking-links.ts). */
  readonly trackingUrl: string | undefined;
}

/** The words of each kind of mail; the layout around them is notification-render.ts's. */
export const MAIL_WORDING: Readonly<Record<NotificationKind, { subject: (orderId: number) => string; lead: string; linesTitle: string }>> = {
  order_received: {
    subject: (id) => `We received your order #${id}`,
    lead: 'Thank you for your order. We have received it and will write again when it ships.',
    linesTitle: 'Your order',
  },
  order_shipped: {
    subject: (id) => `Your order #${id} has shipped`,
    lead: 'Good news: your order is on its way.',
    linesTitle: 'In this shipment',
  },
  order_delivered: {
    subject: (id) => `Your order #${id} was delivered`,
    lead: 'Your order has been delivered. We hope you enjoy it.',
    linesTitle: 'Your order',
  },
  order_cancelled: {
    subject: (id) => `Your order #${id} was cancelled`,
    lead: 'Your order has been cancelled as requested. Nothing from it will be shipped.',
    linesTitle: 'The cancelled order',
  },
};

/** Signs every mail. */
export const SIGNATURE = 'Order Service';
