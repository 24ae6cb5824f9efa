// Which Customily file is printed: by format (Printful v1 OpenAPI, File.url:
// .ai, .psd and .tiff deprecated) and by placement (podPlaceholder).
import t from 'tap'
import { choosePrintFile } from '../../src/suppliers/customily/print-file.ts'

const item = (productionUrl: string | undefined, exportedFiles: { url: string, podPlaceholder?: string }[]) =>
  ({ state: 'ready' as const, id: 'p-1', exportedFiles, ...(productionUrl ? { productionUrl } : {}) })

t.test('when the article\'s .ai production file comes with a PNG export, then the PNG is chosen and the .ai named as passed over', async (t) => {
  t.same(choosePrintFile(item('https://cdn.customily.com/x/a.ai', [{ url: 'https://cdn.customily.com/x/a.ai' }, { url: 'https://cdn.customily.com/x/a.png' }]), 'front'),
    { url: 'https://cdn.customily.com/x/a.png', why: 'exportedFiles[1], png; not productionUrl (ai)' })
})

t.test('when the formats differ, then PNG or PDF (in Customily\'s order) beat JPEG, which beats a URL without a format', async (t) => {
  t.equal(choosePrintFile(item(undefined, [{ url: 'https://c/x' }, { url: 'https://c/a.JPG' }, { url: 'https://c/a.pdf?v=2' }, { url: 'https://c/a.png' }]), 'front').url, 'https://c/a.pdf?v=2')
  t.equal(choosePrintFile(item('https://c/a.psd', [{ url: 'https://c/x' }, { url: 'https://c/a.jpeg' }]), 'front').url, 'https://c/a.jpeg')
  t.equal(choosePrintFile(item('https://c/a.tiff', [{ url: 'https://c/render' }]), 'front').url, 'https://c/render')
  t.same(choosePrintFile(item('https://c/a.png', []), 'front'), { url: 'https://c/a.png', why: 'productionUrl, png' })
})

t.test('when exported files name placeholders, then only those for the placement count', async (t) => {
  const listed = item('https://c/all.png', [{ url: 'https://c/back.png', podPlaceholder: 'back' }, { url: 'https://c/front.pdf', podPlaceholder: 'front' }])
  t.equal(choosePrintFile(listed, 'front').url, 'https://c/front.pdf')
  t.equal(choosePrintFile(listed, 'back').url, 'https://c/back.png')
  t.equal(choosePrintFile(listed, 'sleeve').url, 'https://c/all.png', 'none for it: a file marked for no placement')
})

t.test('when only .ai, .psd or .tiff files are listed, then nothing is chosen and the error says to export PNG or PDF', async (t) => {
  t.throws(() => choosePrintFile(item('https://c/a.ai', [{ url: 'https://c/b.ai' }, { url: 'https://c/c.tif' }]), 'front'), {
    code: 'upstream_rejected',
    message: 'Customily lists no printable file for personalization p-1 at "front" (productionUrl ai, exportedFiles[0] ai, exportedFiles[1] tif): .ai, .psd and .tiff are refused by Printful; export PNG or PDF for this product in Customily'
  })
  t.throws(() => choosePrintFile(item(undefined, [{ url: 'https://c/b.png', podPlaceholder: 'back' }]), 'front'), { message: /with a file for the "front" placeholder$/ })
})
