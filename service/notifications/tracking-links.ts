/**
 * Where each known carrier shows a parcel, `{number}` standing for its tracking number. A link in
 * a mail is built only from these: the carrier's name and the number come from the API's clients,
 * and a link taken from them could send a customer anywhere.
 */
const TRACKING_PAGES: ReadonlyMap<string, string> = new Map([
  ['USPS', 'https://tools.usps.com/go/TrackConfirmAction?tLabels={number}'],
  ['UPS', 'https://www.ups.com/track?tracknum={number}'],
  ['FEDEX', 'https://www.fedex.com/fedextrack/?trknbr={number}'],
  ['DHL', 'https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id={number}'],
]);

/** "FedEx", "fedex" and "Fed Ex" name one carrier. */
function carrierKey(carrier: string): string {
  return carrier.toUpperCase().replace(/[^A-Z]/g, '');
}

/** The carrier's tracking page for this parcel, or undefined for a carrier not known here. */
export function trackingLink(carrier: string, trackingNumber: string): string | undefined {
  const page = TRACKING_PAGES.get(carrierKey(carrier));
  // Numbers may be written with spaces for reading; carriers' pages take them without.
  return page?.replace('{number}', encodeURIComponent(trackingNumber.replace(/\s+/g, '')));
}
