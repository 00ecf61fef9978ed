/**
 * Values a handler can throw that break code which reads them carelessly: no prototype, a
 * `toString` that throws, getters that throw, a Proxy whose every trap throws, a `cause` chain
 * that loops. Every `onError` hook must survive each of them. Made fresh on each call, so a
 * test that mutates one (core adds a `cause`) cannot affect the next.
 */
export interface HostileValue {
  name: string
  value: unknown
}

const explode = (what: string) => () => {
  throw new Error(`hostile ${what}`)
}

/** The properties error handling code reads: each becomes a getter that throws. */
export const errorProperties = [
  'statusCode',
  'status',
  'message',
  'name',
  'expose',
  'headers',
  'issues',
  'stack',
  'cause',
  'code',
  'toJSON',
] as const

function withThrowingGetter<T extends object>(target: T, property: string): T {
  return Object.defineProperty(target, property, { get: explode(`${property} getter`), enumerable: true })
}

/** A Proxy whose every trap throws, so even `typeof`-guarded reads and `instanceof` fail. */
function hostileProxy(target: object): object {
  const handler: ProxyHandler<object> = {}
  for (const trap of [
    'apply',
    'construct',
    'defineProperty',
    'deleteProperty',
    'get',
    'getOwnPropertyDescriptor',
    'getPrototypeOf',
    'has',
    'isExtensible',
    'ownKeys',
    'preventExtensions',
    'set',
    'setPrototypeOf',
  ] as const) {
    handler[trap] = explode(`proxy ${trap} trap`)
  }
  return new Proxy(target, handler)
}

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {})
  revoke()
  return proxy
}

function causeLoop(): Error {
  const first = new Error('first of a loop')
  const second = new Error('second of a loop', { cause: first })
  first.cause = second
  return first
}

function selfCause(): Error {
  const error = new Error('its own cause')
  error.cause = error
  return error
}

function selfReference(): Error {
  const error: Error & { self?: unknown } = new Error('refers to itself')
  error.self = error
  return error
}

const unprintable = () => ({
  toString: explode('toString'),
  valueOf: explode('valueOf'),
  [Symbol.toPrimitive]: explode('toPrimitive'),
})

/** Every hostile value, each with a name for test titles. */
export function hostileValues(): HostileValue[] {
  return [
    { name: 'an object with no prototype', value: Object.create(null) },
    { name: 'an object whose toString throws', value: unprintable() },
    { name: 'an Error whose toString throws', value: Object.assign(new Error('unprintable'), unprintable()) },
    ...errorProperties.map((property) => ({
      name: `an object whose ${property} getter throws`,
      value: withThrowingGetter({}, property),
    })),
    ...errorProperties.map((property) => ({
      name: `an Error whose ${property} getter throws`,
      value: withThrowingGetter(new Error('hostile getter'), property),
    })),
    {
      name: 'a 4xx whose headers getter throws',
      value: withThrowingGetter({ statusCode: 404, expose: true }, 'headers'),
    },
    {
      name: 'an exposed 4xx whose message getter throws',
      value: withThrowingGetter({ statusCode: 400, expose: true }, 'message'),
    },
    {
      name: 'an exposed 4xx with an unprintable issue',
      value: { statusCode: 400, expose: true, message: 'bad', issues: [{ path: [unprintable()], message: 'x' }] },
    },
    {
      name: 'an exposed 4xx whose headers are a hostile Proxy',
      value: { statusCode: 400, expose: true, message: 'bad', headers: hostileProxy({}) },
    },
    { name: 'a hostile Proxy of an object', value: hostileProxy({}) },
    { name: 'a hostile Proxy of an Error', value: hostileProxy(new Error('behind a proxy')) },
    { name: 'a hostile Proxy of a function', value: hostileProxy(() => undefined) },
    { name: 'a revoked Proxy', value: revokedProxy() },
    { name: 'an Error whose cause chain loops', value: causeLoop() },
    { name: 'an Error that is its own cause', value: selfCause() },
    { name: 'a frozen Error', value: Object.freeze(new Error('frozen')) },
    { name: 'an Error that refers to itself', value: selfReference() },
    { name: 'an Error with a BigInt field', value: Object.assign(new Error('big'), { amount: 10n }) },
    { name: 'a symbol', value: Symbol('thrown') },
    { name: 'a BigInt', value: 10n },
  ]
}
