// `pod-bridge demo` as a newcomer runs it: the real command, its own embedded
// Postgres and simulators. It pushes one product from each of Printify and
// Printful and orders a variant of each; the output names each push and each
// order's final state, and nothing it started outlives it, whether it finishes
// or is interrupted.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import t from 'tap'
import { eventually } from '../helpers/bridge.ts'
import { runCli, type RunningCli } from '../helpers/process.ts'

/** The temporary data folder the demo announced on its first line. */
function dataDirOf (cli: RunningCli): string | undefined {
  return /embedded Postgres in (\S+) \(removed afterwards\)/.exec(cli.output())?.[1]
}

/** Live processes whose command line mentions `text` (the postmaster runs with `-D <data dir>/postgres`). */
function processesMentioning (text: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) pids.push(Number(entry))
    } catch {
      // The process ended while we looked.
    }
  }
  return pids
}

t.test('when the demo runs, then both products are pushed, the seven orders (two for pushed variants) end as expected, the timelines are printed, and no postgres is left', async (t) => {
  // The orders' bound well inside tap's two minutes per file.
  const cli = runCli(['demo', '--timeout', '60'], {})
  t.teardown(() => { if (cli.child.exitCode === null) cli.child.kill('SIGINT') })
  const dir = await eventually(async () => dataDirOf(cli), 30_000, 'the data folder announced')
  const running = await eventually(async () => processesMentioning(dir).length > 0 || cli.child.exitCode !== null || undefined, 60_000, 'the embedded postgres started')
  t.ok(running)
  const { code } = await cli.exited
  const out = cli.output()
  t.equal(code, 0, 'exits 0')
  if (code !== 0) t.comment(out)
  t.match(out, /#\d+\s+a tee, printed by Printful\s+fulfilled\s+as expected/)
  t.match(out, /#\d+\s+a mug, printed by Printify\s+fulfilled\s+as expected/)
  t.match(out, /#\d+\s+a tee and a poster, Gelato split in two orders\s+fulfilled\s+as expected/)
  t.match(out, /#\d+\s+a personalized tee \(Customily file, Printful\)\s+fulfilled\s+as expected/)
  t.match(out, /pushed printify product 5b05842f3921c9547531758d "Unisex Heavy Cotton Tee" → Shopify gid:\/\/shopify\/Product\/\d+: 2 of 2 variants mapped by the push/, 'the Printify tee published and pushed')
  t.match(out, /pushed printful product 302 "White Glossy Mug" → Shopify gid:\/\/shopify\/Product\/\d+: 1 of 1 variants mapped by the push/, 'the Printful mug pushed on demand')
  t.match(out, /#\d+\s+a tee pushed from Printify, by its variant id\s+fulfilled\s+as expected/)
  t.match(out, /#\d+\s+a mug pushed from Printful, by its variant id\s+fulfilled\s+as expected/)
  t.match(out, /line\.routed\s+\[worker\] SKU PFY-TEE-WHT-\w+: to printify \(mapping by variant\)/, 'the pushed tee routed by the push\'s mapping')
  t.match(out, /line\.routed\s+\[worker\] "White Glossy Mug[^"]*" \(no SKU, variant gid:\/\/shopify\/ProductVariant\/\d+\): to printful \(mapping by variant\)/, 'the pushed mug, which has no SKU, routed by its variant id')
  t.match(out, /#\d+\s+a poster no supplier prints \(no mapping\)\s+needs_attention\s+as expected\s+no mapping for SKU POSTER-A2/)
  t.match(out, /submission\.waiting\s+\[customily\] personalization cu-demo-0001 not rendered yet/, 'the personalized order waited for its file')
  t.match(out, /Customily file for cu-demo-0001 at "front": https:\/\/cdn\.customily\.com\/ExportFile\/sim\/cu-demo-0001\.png \(exportedFiles\[0\], png; not productionUrl \(ai\)\)/, 'the PNG export, not the .ai')
  t.match(out, /fulfillment\.created\s+\[shopify\]/)
  t.match(out, /all 7 orders reached their expected state/)
  t.match(out, /stopped the service, Postgres and the simulators/)
  t.same(processesMentioning(dir), [], 'no process holds the data folder')
  t.notOk(existsSync(dir), 'the temporary data folder is removed')
})

t.test('when the demo is interrupted with Ctrl-C, then it stops everything it started and exits 130', async (t) => {
  const cli = runCli(['demo'], {})
  t.teardown(() => { if (cli.child.exitCode === null) cli.child.kill('SIGKILL') })
  const dir = await eventually(async () => dataDirOf(cli), 30_000, 'the data folder announced')
  await eventually(async () => /service ready at/.test(cli.output()) || cli.child.exitCode !== null || undefined, 60_000, 'the service started')
  t.ok(processesMentioning(dir).length > 0, 'postgres runs before the interruption')
  cli.child.kill('SIGINT')
  const { code } = await cli.exited
  t.equal(code, 130, 'exits 130, as for SIGINT')
  if (code !== 130) t.comment(cli.output())
  t.match(cli.output(), /interrupted, stopping the service, the simulators and Postgres/)
  t.match(cli.output(), /interrupted: stopped everything the demo started/)
  t.notMatch(cli.output(), /orders reached their expected state/, 'no claim of a finished run')
  t.same(processesMentioning(dir), [], 'no process holds the data folder')
  t.notOk(existsSync(dir), 'the temporary data folder is removed')
})
