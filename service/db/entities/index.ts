import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { InboxEntryEntity } from './inbox-entry.entity';
import { MarketplaceEntity } from './marketplace.entity';
import { NotificationEntity } from './notification.entity';
import { OrderEventEntity } from './order-event.entity';
import { OrderLineEntity } from './order-line.entity';
import { OrderEntity } from './order.entity';
import { ProductListingEntity } from './product-listing.entity';
import { ProductTranslationEntity } from './product-translation.entity';
import { ProductEntity } from './product.entity';
import { ShipmentLineEntity } from './shipment-line.entity';
import { ShipmentEntity } from './shipment.entity';
import { UserEntity } from './user.entity';

export {
  IdempotencyKeyEntity,
  InboxEntryEntity,
  MarketplaceEntity,
  NotificationEntity,
  OrderEntity,
  OrderEventEntity,
  OrderLineEntity,
  ProductEntity,
  ProductListingEntity,
  ProductTranslationEntity,
  ShipmentEntity,
  ShipmentLineEntity,
  UserEntity,
};

export const entities = [
  UserEntity,
  MarketplaceEntity,
  ProductEntity,
  ProductListingEntity,
  ProductTranslationEntity,
  OrderEntity,
  OrderLineEntity,
  ShipmentEntity,
  ShipmentLineEntity,
  OrderEventEntity,
  IdempotencyKeyEntity,
  InboxEntryEntity,
  NotificationEntity,
];
