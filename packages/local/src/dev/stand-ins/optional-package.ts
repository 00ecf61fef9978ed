// dynalite and s3rver are optional peer dependencies: loaded only when a template needs them,
// from the example's folder first (where a user installs them), then from beside this package.
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { devError } from '../errors.js'

const moduleUrl: string = typeof __filename === 'string' ? pathToFileURL(__filename).href : import.meta.url

/** `require(name)` from `dir`, else from @lamina/local; a one-line error saying what to install. */
export function optionalPackage<T>(
  name: string,
  dir: string,
  why: string,
  from: string[] = [join(dir, 'noop.js'), moduleUrl],
): T {
  for (const base of from) {
    const require = createRequire(base)
    let path: string
    try {
      path = require.resolve(name)
    } catch {
      continue
    }
    // Found: an error while loading it is its own, not "not installed".
    return require(path) as T
  }
  throw devError(`${why} needs the ${name} package, which is not installed`, `run npm i -D ${name}`)
}
