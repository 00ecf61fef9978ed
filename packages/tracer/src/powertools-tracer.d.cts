// Typed as the ES build the rest of the package names, so a Tracer loaded here is the `Tracer` type
// users pass in: both builds have the same API.
declare const powertoolsTracer: typeof import('@aws-lambda-powertools/tracer', {
  with: { 'resolution-mode': 'import' },
})
export = powertoolsTracer
