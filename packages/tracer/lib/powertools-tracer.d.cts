// What tracing.ts reads from this file; it types the module as Powertools' ES build (the Tracer a
// user passes in), which has the same API as the CommonJS build loaded here.
export declare const Tracer: unknown
