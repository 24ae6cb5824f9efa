// parseJsonKeepingBigInts: 64-bit ids survive exactly, whichever way the body is parsed.
import t from 'tap'
import { parseJsonKeepingBigInts } from '../../src/lib/json.ts'

t.test('when every integer fits in 2^53, then the body parses as JSON.parse would', async (t) => {
  const text = '{"id":6123456789012,"admin_graphql_api_id":"gid://shopify/Order/6123456789012","price":"19.00","qty":2,"ratio":0.5,"big_float":1e300,"items":[{"id":13234567890123}]}'
  t.same(parseJsonKeepingBigInts(text), JSON.parse(text))
})

t.test('when an integer does not fit, then it is kept as its exact text, at any depth, and the rest is untouched', async (t) => {
  const body = parseJsonKeepingBigInts('{"id":820982911946154508,"n":-9007199254740993,"safe":9007199254740991,"items":[{"id":866550311766439020,"qty":1}],"f":1.5}')
  t.same(body, { id: '820982911946154508', n: '-9007199254740993', safe: 9007199254740991, items: [{ id: '866550311766439020', qty: 1 }], f: 1.5 })
})

t.test('when a huge number is written with an exponent, then it stays a number (it has no exact integer text)', async (t) => {
  t.same(parseJsonKeepingBigInts('{"x":1e20}'), { x: 1e20 })
})

t.test('when the text is not JSON, then it throws as JSON.parse does', async (t) => {
  t.throws(() => parseJsonKeepingBigInts('{"id":'), SyntaxError)
})
