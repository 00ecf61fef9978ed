// Bundle size of @lamina/core as users ship it: esbuild, minified, from the built dist (run
// `npm run build` first), gzipped. Reports the whole entry and `import { wrap }` alone (what
// tree-shaking leaves), against the 2 KB budget. Run: node bench/size.mjs
import { appendFileSync, existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const budgetBytes = 2048
const root = fileURLToPath(new URL('../', import.meta.url))
const dist = fileURLToPath(new URL('../packages/core/dist/index.js', import.meta.url))

if (!existsSync(dist)) {
  console.error(`bench/size.mjs: ${dist} is missing; run \`npm run build\` first.`)
  process.exit(1)
}

/** Bundles a one-line entry that imports from the built core, as a user's function would. */
async function measure(entry) {
  const result = await build({
    stdin: { contents: entry, resolveDir: root, sourcefile: 'entry.mjs', loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    alias: { '@lamina/core': dist },
    logLevel: 'error',
  })
  const code = result.outputFiles[0].contents
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength }
}

const cases = [
  ['whole entry (import * as core)', "import * as core from '@lamina/core'\nglobalThis.core = core"],
  ['import { wrap } only', "import { wrap } from '@lamina/core'\nglobalThis.wrap = wrap"],
]

console.log('\n@lamina/core bundle size (esbuild, minified, gzip -9)')
console.log('| entry | minified bytes | gzipped bytes | budget | verdict |')
console.log('| --- | ---: | ---: | ---: | --- |')
const rows = []
let wrapBytes = 0
for (const [label, entry] of cases) {
  const { minified, gzipped } = await measure(entry)
  // The budget is for what a handler imports: wrap (and what it pulls in).
  const budgeted = label.startsWith('import { wrap }')
  if (budgeted) wrapBytes = gzipped
  const verdict = budgeted ? (gzipped <= budgetBytes ? 'within' : 'OVER') : 'reported'
  console.log(`| ${label} | ${minified} | ${gzipped} | ${budgeted ? budgetBytes : ''} | ${verdict} |`)
  rows.push({
    entry: label,
    'minified bytes': String(minified),
    'gzipped bytes': String(gzipped),
    budget: budgeted ? String(budgetBytes) : '',
  })
}

// Under `npm run bench` (bench/run.ts) the figures also go to the suite, as bench/support/report.ts writes them.
if (process.env.BENCH_OUT) {
  const ratio = wrapBytes / budgetBytes
  const scenario = {
    id: 'core-size',
    title: 'Core bundle size',
    tables: [{ title: '@lamina/core bundle size (esbuild, minified, gzip -9)', rows }],
    ratios: [
      {
        key: 'wrap-gzip-vs-budget',
        label: 'import { wrap }, gzipped ÷ the 2,048-byte budget',
        value: ratio,
        budget: 1,
      },
    ],
    chart: {
      title: 'import { wrap }: gzipped bytes ÷ budget',
      unit: 'ratio (1 = the 2,048-byte budget)',
      bars: [{ label: 'lamina import { wrap }', value: ratio }],
      reference: 1,
    },
  }
  appendFileSync(process.env.BENCH_OUT, `${JSON.stringify(scenario)}\n`)
}
