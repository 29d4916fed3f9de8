import { carrierNamed, trackingUrl } from '../shipments/carriers';

/**
 * The carrier's tracking page for a parcel in a mail: built by the shipments' carrier rules, the
 * one place that knows the carriers' pages, and only for a known carrier and a number it can have.
 * Never taken from data: the name and the number come from the API's clients, and a link made
 * from them could send a customer anywhere.
 */
export function trackingLink(carrier: string, trackingNumber: string): string | undefined {
  return trackingUrl(carrierNamed(carrier), trackingNumber) ?? undefined;
}
