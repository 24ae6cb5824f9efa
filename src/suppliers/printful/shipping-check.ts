// SHIPPING_METHODS checked against what Printful offers, once at start: a
// method Printful does not know would only show itself when a customer's order
// is refused (OR-4). Reported in /readyz detail and the logs, never blocking,
// like the double-import guard.
//
// Printful lists its methods only per destination and items (v1 POST
// /shipping/rates), so the check asks for one of the store's products to a US
// address.
import type { Logger } from 'pino'
import { errorMessage } from '../../lib/errors.ts'
import type { StartupCheck } from '../common/descriptor.ts'
import type { PrintfulSupplier } from './supplier.ts'

export function checkShippingMethods (printful: Pick<PrintfulSupplier, 'offeredShippingMethods'>, configured: readonly string[], logger: Logger): StartupCheck {
  const found: string[] = []
  const report = (problem: string) => {
    found.push(problem)
    logger.warn({ supplier: 'printful' }, problem)
  }
  const done = (async () => {
    if (configured.length === 0) return
    try {
      const offered = await printful.offeredShippingMethods()
      if (!offered) {
        report('SHIPPING_METHODS: the Printful store has no product to ask its shipping rates with, so the Printful methods set there are not checked')
        return
      }
      const unknown = configured.filter((id) => !offered.ids.includes(id))
      if (unknown.length > 0) {
        report(`SHIPPING_METHODS names Printful method(s) ${unknown.map((id) => `"${id}"`).join(', ')} that Printful does not offer (asked for ${offered.asked}, it offers ${offered.ids.join(', ') || 'nothing'}): orders sent with them are refused (OR-4)`)
      } else {
        logger.info({ supplier: 'printful', methods: configured }, 'SHIPPING_METHODS: every Printful method is offered by Printful')
      }
    } catch (err) {
      report(`SHIPPING_METHODS: could not ask Printful for its shipping methods (${errorMessage(err)})`)
    }
  })()
  return { problems: () => [...found], done }
}
