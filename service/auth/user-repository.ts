import type { EntityManager } from 'typeorm';
import { UserEntity } from '../db/entities';

export async function userExists(manager: EntityManager, id: number): Promise<boolean> {
  return manager.exists(UserEntity, { where: { id } });
}
