import type { CachedSecret } from './cache.js'
import { SecretFormatError } from './errors.js'
import type { FetchedSecret, RedactOption, SchemaIssue, SchemaLike, SecretDefinition, SecretTarget } from './types.js'

export const notDecoded: unique symbol = Symbol('not decoded')

type Kind = 'text' | 'binary' | 'json' | 'schema'

/** One `name: spec` entry of a secrets() call, checked and normalised once, at init. */
export class SecretBinding {
  readonly target: SecretTarget
  readonly kind: Kind
  /** This definition's `redact` option, validated; the cache entry registers the union. */
  readonly redact: RedactOption | undefined
  readonly #schema: SchemaLike | undefined
  // One decoded value per fetched secret object: decoding (JSON.parse, schema) happens once per fetch.
  readonly #decoded = new WeakMap<CachedSecret, unknown>()

  constructor(
    readonly name: string,
    definition: SecretDefinition,
  ) {
    this.target = { id: definition.id, versionStage: definition.versionStage, versionId: definition.versionId }
    this.#schema = definition.schema
    this.redact = definition.redact
    this.kind = definition.schema ? 'schema' : definition.binary ? 'binary' : definition.json ? 'json' : 'text'
  }

  /** The decoded value when this fetched secret was decoded before, `notDecoded` otherwise. */
  cached(fetched: CachedSecret): unknown {
    const value = this.#decoded.get(fetched)
    return value !== undefined || this.#decoded.has(fetched) ? value : notDecoded
  }

  /** Decodes (and remembers) a fetched secret; a promise only for an async schema. */
  decode(fetched: CachedSecret): unknown {
    const value = this.#convert(fetched.secret)
    if (value instanceof Promise) {
      return value.then((resolved) => {
        this.#decoded.set(fetched, resolved)
        return resolved
      })
    }
    this.#decoded.set(fetched, value)
    return value
  }

  #fail(problem: string, paths?: string[]): SecretFormatError {
    return new SecretFormatError(this.name, this.target.id, problem, paths)
  }

  #convert(secret: FetchedSecret): unknown {
    if (secret.text === undefined && secret.binary === undefined)
      throw this.#fail('has neither SecretString nor SecretBinary')
    if (this.kind === 'binary') return secret.binary ?? new TextEncoder().encode(secret.text)
    const text = secret.text ?? Buffer.from(secret.binary as Uint8Array).toString('utf8')
    if (this.kind === 'text') return text
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      // The parser's message quotes the text, which is the secret: never pass it on.
      throw this.#fail('is not valid JSON but its definition asks for JSON (json: true or a schema)')
    }
    if (this.kind === 'json') {
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw this.#fail('is JSON but not an object; use a schema to accept other JSON values')
      }
      return parsed
    }
    const result = (this.#schema as SchemaLike)['~standard'].validate(parsed)
    return result instanceof Promise ? result.then((settled) => this.#outcome(settled)) : this.#outcome(result)
  }

  #outcome(result: Awaited<ReturnType<SchemaLike['~standard']['validate']>>): unknown {
    if (result.issues === undefined) return result.value
    // Paths only: validators' messages may quote the offending value, which is the secret.
    const paths = [...new Set(result.issues.map(pathOf))]
    throw this.#fail(`does not match its schema at ${paths.join(', ')}`, paths)
  }
}

function pathOf(issue: SchemaIssue): string {
  if (!issue.path || issue.path.length === 0) return '(root)'
  return issue.path.map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('.')
}
