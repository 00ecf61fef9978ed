/**
 * A dynamically imported module's named exports, wherever the loader put them. Node gives
 * `import()` of a CommonJS package its exports as names; esbuild's split output (`splitting: true`,
 * where each `import()` becomes a chunk of its own) gives only `default`, the `module.exports`
 * object, and esbuild resolves a package without an `exports` map (the OpenTelemetry packages) to
 * its CommonJS build unless `mainFields` puts `module` first. `name` is one export the namespace
 * must have: @opentelemetry/api's ES build also has a default export, which is not its namespace.
 */
export function namedExports<T extends object>(module: T, name: keyof T): T {
  if (name in module) return module
  const exports = (module as { default?: unknown }).default
  return typeof exports === 'object' && exports !== null && name in exports ? (exports as T) : module
}
