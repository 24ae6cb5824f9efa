// `npm run build` compiles TypeScript with tsc, which copies no other files.
// Data files that the code reads at run time (e.g. the Shopify schema the
// store simulator validates against) are copied beside the compiled code here.
import { cpSync, readdirSync } from 'node:fs'
import path from 'node:path'

// The console's page, scripts and styles are served as they are (no build step).
const assetPattern = /\.(json|json\.gz|graphql|html|css|js)$/
let copied = 0
for (const entry of readdirSync('src', { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !assetPattern.test(entry.name)) continue
  const from = path.join(entry.parentPath, entry.name)
  cpSync(from, path.join('dist', from))
  copied++
}
console.log(`copied ${copied} asset file(s) into dist/src`)
