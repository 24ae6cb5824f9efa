// Printful's shipping methods and carriers as the simulator knows them.
//
// Method ids: the v1 spec documents STANDARD (the Order body's default, and
// the ShippingInfo example of POST /shipping/rates) and PRINTFUL_FAST (the
// Order examples, both to a US recipient). Nothing else is accepted: any other
// id is OR-4 INVALID_SHIPPING_METHOD ("The shipping method selected for the
// order is invalid or not supported", v1 "API Errors" table). Which methods a
// destination gets is not documented; the stricter reading offers
// PRINTFUL_FAST only where the spec shows it, to the US.
export interface SimShippingMethod {
  readonly id: string
  readonly name: string
  readonly rate: string
  /** Destinations it is offered to; undefined: everywhere. */
  readonly countries?: readonly string[]
  readonly minDeliveryDays: number
  readonly maxDeliveryDays: number
}

export const printfulShippingMethods: readonly SimShippingMethod[] = [
  // "Flat Rate (3-4 business days after fulfillment)": shipping_service_name of the v1 Order examples.
  { id: 'STANDARD', name: 'Flat Rate (3-4 business days after fulfillment)', rate: '4.99', minDeliveryDays: 3, maxDeliveryDays: 4 },
  { id: 'PRINTFUL_FAST', name: 'Express (1-3 business days after fulfillment)', rate: '7.99', countries: ['US'], minDeliveryDays: 1, maxDeliveryDays: 3 }
]

/** ShippingInfo[] as POST /shipping/rates answers for a destination (v1 ShippingRates response). */
export function ratesFor (countryCode: string, currency = 'USD'): Array<{ id: string, name: string, rate: string, currency: string, minDeliveryDays: number, maxDeliveryDays: number }> {
  return offeredTo(countryCode).map((m) => ({ id: m.id, name: m.name, rate: m.rate, currency, minDeliveryDays: m.minDeliveryDays, maxDeliveryDays: m.maxDeliveryDays }))
}

/** The methods a destination gets. */
export function offeredTo (countryCode: string | null): SimShippingMethod[] {
  const country = (countryCode ?? '').toUpperCase()
  return printfulShippingMethods.filter((m) => m.countries === undefined || m.countries.includes(country))
}

export function shippingMethod (id: string): SimShippingMethod | undefined {
  return printfulShippingMethods.find((m) => m.id === id)
}

/**
 * What a parcel says, by carrier as Printful spells it. FEDEX with service
 * "FedEx SmartPost" and a fedex.com tracking URL: the v1 Shipment schema's
 * example. USPS with a tools.usps.com URL: Printful's "Order shipped" event as
 * IFTTT documents it (https://ifttt.com/printful/triggers/order_shipped). Other
 * carriers: their own name as the service, and no URL.
 */
export function parcelOf (carrier: string, trackingNumber: string): { service: string, url: string } {
  switch (carrier) {
    case 'FEDEX': return { service: 'FedEx SmartPost', url: `https://www.fedex.com/fedextrack/?tracknumbers=${trackingNumber}` }
    case 'USPS': return { service: 'USPS First Class Package', url: `https://tools.usps.com/go/TrackConfirmAction?tLabels=${trackingNumber}` }
    default: return { service: carrier, url: '' }
  }
}
