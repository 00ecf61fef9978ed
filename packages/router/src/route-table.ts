import { decodeSegment } from './request-path.js'
import type { RouteSegment } from './route-path.js'

// The per-request lookup. rou3 (see matcher.ts) is general: regex segments, wildcards anywhere,
// ranked matches, and a path split and a parameter object built for every lookup. The routes this
// router accepts are simpler (literal segments, `{name}`, a last `{name+}`), so this table answers
// them with one Map read for a route without parameters and a short tree walk for the others,
// building the decoded parameters the handler sees in one object. It answers exactly as rou3 does
// (test/route-table.property.test.ts checks it on generated tables and requests) and leaves the
// paths it was not written for (an empty segment: `/a//b`) to rou3.

/** Registered with the method '' (as rou3 keys them): the route serves every method. */
const anyMethod = ''

interface Entry<T> {
  data: T
  /** Each `{name}` and the index of its segment in the request path split on "/". */
  parameters: readonly (readonly [name: string, index: number])[]
  /** The `{name+}` and the index of the first segment it takes. */
  greedy: readonly [name: string, index: number] | undefined
}

type Methods<T> = Map<string, Entry<T>>

interface Node<T> {
  literal: Map<string, Node<T>> | undefined
  parameter: Node<T> | undefined
  /** The routes ending here in `{name+}`: they take one segment or more. */
  greedy: Methods<T> | undefined
  methods: Methods<T> | undefined
}

export interface Found<T> {
  data: T
  /** Decoded, on a plain object of its own: the handler's `pathParameters`. */
  params: Record<string, string>
}

/** What `find` returns for a path it leaves to the general matcher. */
export const undecided = Symbol('undecided')

const emptyNode = <T>(): Node<T> => ({
  literal: undefined,
  parameter: undefined,
  greedy: undefined,
  methods: undefined,
})

// The route for the method, else the one for every method: the more specific wins, as in rou3.
const pick = <T>(methods: Methods<T>, method: string) => methods.get(method) ?? methods.get(anyMethod)

function walk<T>(node: Node<T>, method: string, segments: string[], index: number): Entry<T> | undefined {
  if (index === segments.length) return node.methods === undefined ? undefined : pick(node.methods, method)
  // Literal text beats a parameter, which beats a greedy parameter; a branch that finds no route
  // for the method gives way to the next.
  const literal = node.literal?.get(segments[index] as string)
  const found =
    (literal === undefined ? undefined : walk(literal, method, segments, index + 1)) ??
    (node.parameter === undefined ? undefined : walk(node.parameter, method, segments, index + 1))
  if (found !== undefined || node.greedy === undefined) return found
  return pick(node.greedy, method)
}

function parametersOf<T>(entry: Entry<T>, segments: string[], trailingSlash: boolean): Record<string, string> {
  const parameters: Record<string, string> = {}
  const named = entry.parameters
  for (let at = 0; at < named.length; at++) {
    const [name, index] = named[at] as readonly [string, number]
    parameters[name] = decodeSegment(segments[index] as string)
  }
  if (entry.greedy !== undefined) {
    const [name, index] = entry.greedy
    // One trailing slash is ignored in matching, but `/files/docs/` still names a folder.
    parameters[name] = decodeSegment(segments.slice(index).join('/')) + (trailingSlash ? '/' : '')
  }
  return parameters
}

/** `/a//b` or `/a//`: a path this table leaves to rou3. */
export const hasEmptySegment = (path: string) =>
  path.includes('//') || (path.length > 1 && path.charCodeAt(path.length - 1) === 47)

export interface RouteTable<T> {
  /** Adds a route; `method` is '' for every method. Duplicates are refused before this. */
  add(method: string, segments: readonly RouteSegment[], data: T): void
  /** The route and parameters for a normal-form path, `undefined` for none, or `undecided`. */
  find(method: string, path: string): Found<T> | undefined | typeof undecided
}

export function createRouteTable<T>(): RouteTable<T> {
  const root = emptyNode<T>()
  // Routes without parameters, by their whole path: one read answers most requests.
  const fixed = new Map<string, Methods<T>>()

  function add(method: string, segments: readonly RouteSegment[], data: T): void {
    const entry: Entry<T> = { data, parameters: [], greedy: undefined }
    const parameters: (readonly [string, number])[] = []
    let node = root
    let fixedPath: string | undefined = ''
    for (const [position, segment] of segments.entries()) {
      const index = position + 1
      if (segment.kind === 'greedy') {
        entry.greedy = [segment.name, index]
        node.greedy ??= new Map()
        node.greedy.set(method, entry)
        entry.parameters = parameters
        return
      }
      if (segment.kind === 'parameter') {
        parameters.push([segment.name, index])
        fixedPath = undefined
        node.parameter ??= emptyNode()
        node = node.parameter
        continue
      }
      if (fixedPath !== undefined) fixedPath += `/${segment.text}`
      node.literal ??= new Map()
      const next = node.literal.get(segment.text) ?? emptyNode<T>()
      node.literal.set(segment.text, next)
      node = next
    }
    entry.parameters = parameters
    node.methods ??= new Map()
    node.methods.set(method, entry)
    if (fixedPath !== undefined) {
      const key = fixedPath === '' ? '/' : fixedPath
      const methods = fixed.get(key) ?? new Map<string, Entry<T>>()
      methods.set(method, entry)
      fixed.set(key, methods)
    }
  }

  function find(method: string, path: string): Found<T> | undefined | typeof undecided {
    // One trailing slash is ignored, as in route strings (`//` is left whole: an empty segment, for rou3).
    const trailingSlash = path.length > 2 && path.charCodeAt(path.length - 1) === 47
    const trimmed = trailingSlash ? path.slice(0, -1) : path
    const fixedMethods = fixed.get(trimmed)
    const fixedEntry = fixedMethods === undefined ? undefined : pick(fixedMethods, method)
    if (fixedEntry !== undefined) return { data: fixedEntry.data, params: {} }
    if (hasEmptySegment(trimmed)) return undecided
    // `/a/b` → ['', 'a', 'b']: a segment's index is its place after the leading "/".
    const segments = trimmed === '/' ? [''] : trimmed.split('/')
    const entry = walk(root, method, segments, 1)
    return entry === undefined ? undefined : { data: entry.data, params: parametersOf(entry, segments, trailingSlash) }
  }

  return { add, find }
}
