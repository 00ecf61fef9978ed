export interface BuildOptions {
  /** A folder with a SAM template.yaml, or a handler (`path/to/file.export` or a file). Default: cwd. */
  target?: string
  /** `bundle` (default) puts the AWS SDK v3 in the bundle; `external` leaves it to the runtime. */
  sdk?: 'bundle' | 'external'
  /** Default: `<dir>/.lamina/build`. */
  outdir?: string
}

export interface BuiltFunction {
  name: string
  entry: string
  outfile: string
  bytes: number
  gzipBytes: number
}

export async function buildFunctions(_options: BuildOptions = {}): Promise<BuiltFunction[]> {
  throw new Error('buildFunctions is not available yet.')
}
