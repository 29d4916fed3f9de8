import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { InboxEntryEntity } from './inbox-entry.entity';
import { NotificationEntity } from './notification.entity';
import { OrderEventEntity } from './order-event.entity';
import { OrderLineEntity } from './order-line.entity';
import { OrderEntity } from './order.entity';
import { ProductEntity } from './product.entity';
import { ShipmentLineEntity } from './shipment-line.entity';
import { ShipmentEntity } from './shipment.entity';
import { UserEntity } from './user.entity';

export { IdempotencyKeyEntity, InboxEntryEntity, NotificationEntity, OrderEntity, OrderEventEntity, OrderLineEntity, ProductEntity, ShipmentEntity, ShipmentLineEntity, UserEntity };

export const entities = [
  UserEntity,
  ProductEntity,
  OrderEntity,
  OrderLineEntity,
  ShipmentEntity,
  ShipmentLineEntity,
  OrderEventEntity,
  IdempotencyKeyEntity,
  InboxEntryEntity,
  NotificationEntity,
];
