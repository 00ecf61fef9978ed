// `KEY=value` lines as dotenv writes them: comments, `export`, single or double quotes (with \n
// in double quotes).
export function parseEnvFile(text: string, file: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line)
    if (match === null) {
      throw new Error(`${file} line ${index + 1} is not KEY=value: fix or remove it.`)
    }
    const [, key, rest] = match as unknown as [string, string, string]
    const quote = rest[0]
    if ((quote === '"' || quote === "'") && rest.length > 1 && rest.endsWith(quote)) {
      const inner = rest.slice(1, -1)
      env[key] = quote === '"' ? inner.replaceAll('\\n', '\n').replaceAll('\\"', '"') : inner
    } else {
      env[key] = rest.replace(/\s+#.*$/, '')
    }
  }
  return env
}
