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
    try {
      return createRequire(base)(name) as T
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error
    }
  }
  throw devError(`${why} needs the ${name} package, which is not installed`, `run npm i -D ${name}`)
}
