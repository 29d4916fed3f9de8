import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A quantity of one order line in one shipment (of the same order). */
@Entity('shipment_lines')
export class ShipmentLineEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer', name: 'shipment_id' })
  shipmentId: number;

  @Column({ type: 'integer', name: 'order_id' })
  orderId: number;

  @Column({ type: 'integer', name: 'order_line_id' })
  orderLineId: number;

  @Column({ type: 'integer' })
  quantity: number;
}
