'use strict'
// Powertools' Tracer, loaded through its CommonJS build. tracing() reaches this file only through
// import(), when tracing is on. Why CommonJS: the ES build of the Tracer has
// `import http from 'node:http'` (and https). A bundler writing one ES-module file hoists every
// import of a Node builtin to the top of that file, even for code only an import() reaches, and on
// Node 22 and 24 an ES-module import of node:http loads Node's bundled undici (tens of ms of CPU at
// every cold start). In CommonJS the builtins are require()d where the Tracer's code runs, so a
// bundle's lazily wrapped copy of this file loads them only when tracing starts.
module.exports = require('@aws-lambda-powertools/tracer')
