// BENCHMARKS.md merging (bench/report-file.ts): a run replaces its own sections and keeps the others.
import t from 'tap'
import { mergeSections } from '../../bench/report-file.ts'

const current = '# Benchmarks\n\nold preamble\n\n## Webhook intake\n\nold intake\n\n## Proof under fire (issue 16)\n\nchaos figures\n'

t.test('when npm run bench writes its sections, then a section only chaos writes stays where it was', async (t) => {
  const merged = mergeSections(current, '# Benchmarks\n\nnew preamble\n\n## Webhook intake\n\nnew intake\n\n## Fuzzing (issue 17)\n\nfuzz\n')
  t.equal(merged, '# Benchmarks\n\nnew preamble\n\n## Webhook intake\n\nnew intake\n\n## Proof under fire (issue 16)\n\nchaos figures\n\n## Fuzzing (issue 17)\n\nfuzz\n')
})

t.test('when a standalone run writes one section, then the preamble and every other section stay', async (t) => {
  const merged = mergeSections(current, '\n## Proof under fire (issue 16)\n\nnew chaos\n')
  t.equal(merged, '# Benchmarks\n\nold preamble\n\n## Webhook intake\n\nold intake\n\n## Proof under fire (issue 16)\n\nnew chaos\n')
})
