import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import type { OrderEvent } from '../api-types';
import type { EventConsumer } from '../worker/event-consumer';
import type { MailSettings } from './mail-settings';
import { createMailer, type Mailer } from './mail-transport';
import type { MailLine, NotificationMail } from './notification-content';
import { notificationFor, type WantedNotification } from './notification-kinds';
import { renderNotification } from './notification-render';
import { claimNotification, findOrderForMail, type OrderForMail, recordMessageId } from './notification-repository';
import { trackingLink } from './tracking-links';

/**
 * Mails the order's owner when their order is received, shipped, delivered or cancelled. Each
 * mail is sent at most once per event: inside the worker's transaction (which already holds the
 * inbox row) it claims the notifications row of (event, kind), sends, stores the transport's
 * message id, and the transaction commits. A failed send throws, so the claim rolls back with the
 * inbox row and the event is tried again. The one repeat left: the transport accepted the mail
 * and the process died (or the database failed) before COMMIT (docs/notifications.md).
 */
export class NotificationConsumer implements EventConsumer {
  readonly name = 'notifications';

  constructor(
    private readonly mailer: Mailer,
    private readonly logger: Logger,
    /** The domain of the Message-IDs it makes: the sender's. */
    private readonly messageIdDomain: string,
  ) {}

  async handle(manager: EntityManager, event: OrderEvent): Promise<void> {
    const wanted = notificationFor(event);
    if (wanted === null) return;
    const order = await findOrderForMail(manager, event.orderId);
    // Orders are never deleted: an event of a missing one is a fault to retry and then dead-letter.
    if (order === null) throw new Error(`order ${event.orderId} of event ${event.id} does not exist`);
    const facts = { eventId: event.id, orderId: order.orderId, userId: order.userId, kind: wanted.kind };
    const key = { eventId: event.id, kind: wanted.kind, userId: order.userId, at: new Date() };

    if (order.email === null) {
      if (await claimNotification(manager, { ...key, status: 'skipped', reason: 'no_address' })) {
        this.logger.warn(facts, `no ${wanted.kind} mail for order ${order.orderId}: its owner (user ${order.userId}) has no email address`);
      }
      return;
    }
    if (!(await claimNotification(manager, { ...key, status: 'sent', recipient: order.email }))) {
      this.logger.info(facts, `${wanted.kind} mail for event ${event.id} is recorded already: not sent again`);
      return;
    }
    const sent = await this.mailer.send({
      to: order.email,
      ...renderNotification(mailFor(wanted, order)),
      // The same for every attempt at this event's mail, so that mail clients which drop duplicate
      // Message-IDs hide a repeat from the one window (SMTP and files keep it; SES sets its own).
      messageId: `<order-event-${event.id}.${wanted.kind}.${Date.parse(event.occurredAt)}@${this.messageIdDomain}>`,
    });
    await recordMessageId(manager, event.id, wanted.kind, sent.messageId);
    this.logger.info({ ...facts, messageId: sent.messageId }, `${wanted.kind} mail sent for order ${order.orderId}`);
  }

  /** Releases the transport's connections (at shutdown). */
  close(): void {
    this.mailer.close();
  }
}

/**
 * The notifications consumer over the transport MAIL_TRANSPORT configures; register it with the
 * worker. Its log lines carry `consumer: notifications`; they name users by id, never by address.
 */
export function createNotificationConsumer(settings: MailSettings, logger: Logger): NotificationConsumer {
  const log = logger.child({ consumer: 'notifications' });
  const sender = /<([^<>]*)>$/.exec(settings.from)?.[1] ?? settings.from;
  return new NotificationConsumer(createMailer(settings, log), log, sender.slice(sender.lastIndexOf('@') + 1));
}

/** The mail's facts: the whole order, or for a parcel of its own the lines that parcel carries. */
function mailFor(wanted: WantedNotification, order: OrderForMail): NotificationMail {
  const shipment = wanted.parcel ?? (wanted.kind === 'order_shipped' ? order.shipment : null);
  return {
    kind: wanted.kind,
    orderId: order.orderId,
    recipientName: order.userName,
    currency: order.currency,
    lines: wanted.parcel?.lines ? parcelLines(order, wanted.parcel.lines) : order.lines.map((line) => mailLine(line)),
    total: order.total,
    shipment: shipment && {
      carrier: shipment.carrier,
      trackingNumber: shipment.trackingNumber,
      trackingUrl: trackingLink(shipment.carrier, shipment.trackingNumber),
    },
  };
}

function mailLine(line: OrderForMail['lines'][number], quantity = line.quantity): MailLine {
  return { productName: line.productName, quantity, unitPrice: line.unitPrice, lineTotal: quantity * line.unitPrice };
}

function parcelLines(order: OrderForMail, lines: ReadonlyArray<{ productId: number; quantity: number }>): MailLine[] {
  return lines.flatMap(({ productId, quantity }) => {
    const line = order.lines.find((candidate) => candidate.productId === productId);
    return line ? [mailLine(line, quantity)] : [];
  });
}
