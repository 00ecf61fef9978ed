import { wrap } from '@lamina/core'
import middy from '@middy/core'

const signal = process.argv[2] === 'signal'
const which = process.argv[3] ?? 'lamina'
const ctx = { getRemainingTimeInMillis: () => 900000, functionName: 'f' }
const response = { statusCode: 200 }
const plain = async () => response
const noop = () => ({ before: () => {}, after: () => {} })
const reader = () => ({
  before: (r: any) => {
    if (r.signal.aborted) throw new Error('x')
  },
  after: () => {},
})
const mws = Array.from({ length: 5 }, (_, i) => (signal && i === 0 ? reader() : noop()))
let h: any
if (which === 'lamina') h = wrap(plain).use(mws as any)
else {
  h = middy(plain)
  for (const m of Array.from({ length: 5 }, noop)) h.use(m)
}
const event = { a: 1 }
const n = 300_000
for (let r = 0; r < 3; r++) {
  const t = process.cpuUsage()
  for (let i = 0; i < n; i++) await h(event, ctx)
  const u = process.cpuUsage(t)
  console.log(which, signal, (((u.user + u.system) * 1000) / n).toFixed(0), 'ns/op')
}
