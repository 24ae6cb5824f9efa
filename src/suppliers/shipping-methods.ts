// SHIPPING_METHODS checked against what the suppliers offer, once at start:
// a method the supplier does not know would only show itself when a customer's
// order is refused (Printful OR-4). Reported in /readyz detail and the logs,
// never blocking, like the double-import guard.
//
// Printful lists its methods only per destination and items (v1 POST
// /shipping/rates), so the check asks for one of the store's products to a US
// address. Printify's methods are the documented numbers 1-4 (suppliers.md
// §2.4), which config.ts enforces when it parses the setting.
import type { Logger } from 'pino'
import type { Config } from '../config.ts'
import { errorMessage } from '../lib/errors.ts'
import type { Suppliers } from './index.ts'

export interface ShippingMethodCheck {
  problems (): readonly string[]
  readonly done: Promise<void>
}

export function checkShippingMethods (suppliers: Pick<Suppliers, 'printful'>, methods: Config['env']['SHIPPING_METHODS'], logger: Logger): ShippingMethodCheck {
  const found: string[] = []
  const printful = suppliers.printful
  const configured = [...new Set(Object.values(methods).map((m) => m.printful).filter((id) => id !== undefined))]
  const report = (problem: string) => {
    found.push(problem)
    logger.warn({ supplier: 'printful' }, problem)
  }
  const done = (async () => {
    if (!printful || configured.length === 0) return
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
