import type { EntityManager } from 'typeorm';
import type { Marketplace } from '../api-types';
import type { Database } from '../db/database';
import { MarketplaceNotFoundError, MarketplaceNotServedError, UnknownMarketplaceError } from './marketplace-errors';
import { findMarketplace, listMarketplaces } from './marketplace-repository';
import type { MarketplaceSettings } from './marketplace-settings';

const CACHE_MS = 10_000;

/** The marketplaces, and which one a request is in. */
export class MarketplaceService {
  /** Marketplaces change with a catalogue load, a few times a day: orders may use a copy this recent. */
  private readonly recent = new Map<string, { marketplace: Marketplace; until: number }>();

  constructor(
    private readonly db: Database,
    private readonly settings: MarketplaceSettings,
  ) {}

  list(): Promise<Marketplace[]> {
    return this.db.read((manager) => listMarketplaces(manager));
  }

  async get(code: string): Promise<Marketplace> {
    const marketplace = await this.db.read((manager) => findMarketplace(manager, code));
    if (!marketplace) throw new MarketplaceNotFoundError(code);
    return marketplace;
  }

  /** The marketplace a catalogue read names, or the default one. */
  async forReading(code: string | undefined): Promise<Marketplace> {
    const wanted = this.codeOrDefault(code);
    const marketplace = await this.db.read((manager) => findMarketplace(manager, wanted));
    if (!marketplace) throw new UnknownMarketplaceError(wanted, 'query');
    return marketplace;
  }

  /** The marketplace a request names, or this deployment's default one (DEFAULT_MARKETPLACE). */
  codeOrDefault(code: string | undefined): string {
    return code ?? this.settings.defaultMarketplace;
  }

  /**
   * The marketplace of a new order, read in its transaction, refused when it does not exist or
   * this deployment does not take its orders. `cached`: a copy up to CACHE_MS old will do (the
   * caller's statement checks the marketplace again), which saves the order a round trip.
   */
  async forOrder(manager: EntityManager, code: string, { cached }: { cached: boolean }): Promise<Marketplace> {
    const hit = cached ? this.recent.get(code) : undefined;
    const marketplace = hit && hit.until > Date.now() ? hit.marketplace : await findMarketplace(manager, code);
    if (!marketplace) throw new UnknownMarketplaceError(code, 'body');
    if (hit?.marketplace !== marketplace) this.recent.set(code, { marketplace, until: Date.now() + CACHE_MS });
    const served = this.settings.served;
    if (served && !served.includes(marketplace.code)) throw new MarketplaceNotServedError(marketplace.code, marketplace.region, served);
    return marketplace;
  }
}
