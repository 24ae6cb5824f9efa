// A real browser for the console's tests: Debian's chromium (CHROMIUM_PATH to
// use another) driven by playwright-core, against the real service listening
// on loopback. A missing browser fails the test with the install command; it
// never skips. Each launch gets a fresh temporary profile (playwright makes one).
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium, type Browser, type Page } from 'playwright-core'

interface TapLike { teardown (fn: () => unknown): void }

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export async function launchBrowser (t: TapLike): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`no browser at ${chromiumPath}: install it (apt-get install -y chromium) or set CHROMIUM_PATH; the console's tests need one`)
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
  })
  t.teardown(() => browser.close())
  return browser
}

/** Signs in on the console's form, as a person would. */
export async function signIn (page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}/console`)
  await page.getByLabel('Ops token').fill(token)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

export interface AxeViolation { readonly id: string, readonly impact: string | null, readonly help: string, readonly nodes: number }

/**
 * axe-core's WCAG 2 A/AA rules on the page as it is. The script is evaluated
 * through the DevTools protocol, which the page's CSP (script-src 'self') does not govern.
 */
export async function axeViolations (page: Page): Promise<{ violations: AxeViolation[], passes: number }> {
  await page.evaluate(axeSource)
  const tags = JSON.stringify(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
  return page.evaluate<{ violations: AxeViolation[], passes: number }>(`axe.run(document, { runOnly: { type: 'tag', values: ${tags} } })
    .then((r) => ({ passes: r.passes.length, violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length })) }))`)
}
