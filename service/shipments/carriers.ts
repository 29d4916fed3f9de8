import type { TrackingCourier } from 'ts-tracking-number';
import type { Carrier } from '../api-types';

type TrackingNumbers = typeof import('ts-tracking-number');
let trackingNumbersLoaded: TrackingNumbers | undefined;

/**
 * ts-tracking-number (with ramda), loaded on first use rather than with the service: a Lambda
 * container's first request rarely checks a tracking number, and loading it is about 25 ms of a
 * cold start.
 */
function trackingNumbers(): TrackingNumbers {
  trackingNumbersLoaded ??= require('ts-tracking-number') as TrackingNumbers;
  return trackingNumbersLoaded;
}

interface CarrierRule {
  /** The carrier's own name, shown as the shipment's carrierName. */
  readonly name: string;
  /** The carrier's number formats with their check digits (ts-tracking-number's data). */
  readonly formats: (library: TrackingNumbers) => readonly TrackingCourier[];
  /** Where a number is tracked; `{number}` is replaced by the number, URL-encoded. */
  readonly urlTemplate: string;
}

/**
 * The carriers whose tracking numbers and links the service knows. A URL is always built from
 * the template here, never taken from a request, so a link can only lead to the carrier's site.
 */
const KNOWN: Readonly<Record<Exclude<Carrier, 'other'>, CarrierRule>> = {
  // S10 numbers (EA123456785US) are the international mail that USPS also tracks.
  USPS: { name: 'USPS', formats: ({ usps, s10 }) => [usps, s10], urlTemplate: 'https://tools.usps.com/go/TrackConfirmAction?tLabels={number}' },
  UPS: { name: 'UPS', formats: ({ ups }) => [ups], urlTemplate: 'https://www.ups.com/track?tracknum={number}' },
  FedEx: { name: 'FedEx', formats: ({ fedex }) => [fedex], urlTemplate: 'https://www.fedex.com/fedextrack/?trknbr={number}' },
  DHL: { name: 'DHL', formats: ({ dhl }) => [dhl], urlTemplate: 'https://www.dhl.com/global-en/home/tracking/tracking-express.html?tracking-id={number}' },
};

function formatsOf(carrier: Exclude<Carrier, 'other'>): readonly TrackingCourier[] {
  return KNOWN[carrier].formats(trackingNumbers());
}

const allFormats = () => Object.values(KNOWN).flatMap((rule) => rule.formats(trackingNumbers()));

export function isKnownCarrier(carrier: Carrier): carrier is Exclude<Carrier, 'other'> {
  return carrier !== 'other';
}

/** The name a shipment shows for a known carrier. */
export function carrierDisplayName(carrier: Exclude<Carrier, 'other'>): string {
  return KNOWN[carrier].name;
}

/**
 * The carrier a free-form provider name means (the single-shipment route takes any name):
 * a known carrier's name in any case, otherwise `other`.
 */
export function carrierNamed(provider: string): Carrier {
  const known = (Object.keys(KNOWN) as Array<keyof typeof KNOWN>).find((code) => code.toUpperCase() === provider.trim().toUpperCase());
  return known ?? 'other';
}

/** Carriers print numbers with spaces and dashes; the check works on the digits and letters alone. */
function compact(trackingNumber: string): string {
  return trackingNumber.replace(/[\s-]/g, '').toUpperCase();
}

function matchesCarrier(carrier: Exclude<Carrier, 'other'>, trackingNumber: string): boolean {
  const number = compact(trackingNumber);
  const found = trackingNumbers().getTracking(number, formatsOf(carrier));
  // S10 is a UPU format for every postal operator; USPS's own end in US.
  return found !== undefined && (found.courier.code !== 's10' || number.endsWith('US'));
}

/**
 * Why the number cannot be one of the carrier's, or undefined when it can (or when the carrier
 * is `other`, whose formats nobody knows). Names the carrier the number looks like, if any.
 */
export function trackingNumberProblem(carrier: Carrier, trackingNumber: string): string | undefined {
  if (!isKnownCarrier(carrier) || matchesCarrier(carrier, trackingNumber)) return undefined;
  const formats = formatsOf(carrier).flatMap((courier) => courier.tracking_numbers.map((format) => format.name));
  const lookalike = trackingNumbers().getTracking(compact(trackingNumber), allFormats());
  const hint = lookalike ? ` It looks like a ${lookalike.name} number.` : '';
  return `'${trackingNumber}' is not a ${carrier} tracking number: it matches none of ${carrier}'s formats (${formats.join(', ')}), check digit included.${hint}`;
}

/**
 * The tracking link: only for a known carrier and a number it can have, so that a link never
 * leads to a page that cannot know the parcel (the single-shipment route stores unchecked numbers).
 */
export function trackingUrl(carrier: Carrier | null, trackingNumber: string | null): string | null {
  if (carrier === null || trackingNumber === null || !isKnownCarrier(carrier)) return null;
  // Every read of an order builds its shipments' links, and matching a number against the
  // carrier's formats was 2-4% of a read's CPU (docs/performance.md): the answer never changes.
  const key = `${carrier} ${trackingNumber}`;
  let url = knownUrls.get(key);
  if (url === undefined) {
    url = matchesCarrier(carrier, trackingNumber) ? KNOWN[carrier].urlTemplate.replace('{number}', encodeURIComponent(compact(trackingNumber))) : null;
    if (knownUrls.size >= MAX_KNOWN_URLS) knownUrls.delete(knownUrls.keys().next().value!);
    knownUrls.set(key, url);
  }
  return url;
}

/** Links (or none) already worked out, by carrier and number; the oldest is dropped past the limit. */
const knownUrls = new Map<string, string | null>();
const MAX_KNOWN_URLS = 10_000;
