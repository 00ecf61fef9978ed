// What tracing costs a cold start: each case is a function bundled as a deployment bundles it
// (esbuild, ESM, @lamina/* from source, OpenTelemetry and Powertools bundled in), run in a fresh
// Node process that imports it and answers one invocation. The figure is the child's time from
// process start to the first answer (wall, and its own CPU time), median of the runs; cases run
// interleaved so the machine's load hits them alike. Ratios are against the X-Ray mode with
// tracing on (in the same build), and "over off" subtracts the same function with tracing off
// (in the same build).
//
// Each case is bundled twice: into one file, and split into chunks (`splitting: true`, as
// `lamina build` does), where each import() is a chunk of its own read only when imported.
//
// The X-Ray mode's subsegment goes to a UDP socket here (the SDK sends it without waiting); the
// OpenTelemetry mode's span is exported over OTLP/HTTP to a server here before the answer (the
// flush in cleanup), so its figure includes that round trip.
//
// Run: npx tsx bench/tracer-cold-start.bench.ts [runs=9]
import { execFile } from 'node:child_process'
import dgram from 'node:dgram'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { build } from 'esbuild'

const run = promisify(execFile)
const root = fileURLToPath(new URL('..', import.meta.url))
const runs = Number(process.argv[2] ?? 9)

interface Case {
  name: string
  options: string
  env: Record<string, string>
}

const inLambda = {
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  AWS_LAMBDA_FUNCTION_NAME: 'cold',
  AWS_REGION: 'us-east-1',
  _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
  LAMBDA_TASK_ROOT: '/var/task',
  _HANDLER: 'index.handler',
}

const entry = (options: string) => `
import { wrap } from '@lamina/core'
import { tracing } from '@lamina/tracer'
const handler = wrap(async () => ({ statusCode: 200 })).use(tracing(${options}))
const context = { functionName: 'cold', awsRequestId: 'c0ffee00-0000-4000-8000-000000000000',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:cold', getRemainingTimeInMillis: () => 3000 }
await handler({}, context)
const cpu = process.cpuUsage()
process.stdout.write(JSON.stringify({ wall: performance.now(), cpu: (cpu.user + cpu.system) / 1000 }))
process.exit(0)
`

async function main() {
  const work = await mkdtemp(join(tmpdir(), 'lamina-tracer-cold-'))
  const sink = dgram.createSocket('udp4')
  await new Promise<void>((resolve) => sink.bind(0, '127.0.0.1', resolve))
  sink.on('message', () => {})
  const collector = createServer((request, response) => {
    request.resume().on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'))
  })
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve))
  const cases: Case[] = [
    { name: 'tracing off (outside Lambda)', options: '', env: {} },
    { name: "OpenTelemetry mode, off (mode: 'otel' outside Lambda)", options: "{ mode: 'otel' }", env: {} },
    {
      name: 'X-Ray mode, on (Powertools Tracer + X-Ray SDK)',
      options: '',
      env: { ...inLambda, AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${(sink.address() as AddressInfo).port}` },
    },
    {
      name: 'OpenTelemetry mode, on (SDK + OTLP/HTTP, flushed)',
      options: "{ mode: 'otel' }",
      env: {
        ...inLambda,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
      },
    },
  ]
  const packages = await readdir(join(root, 'packages'))
  const builds = ['one file', 'split'] as const
  const runsOf = builds.flatMap((kind) => cases.map((benchCase, index) => ({ kind, benchCase, index })))
  const bundles = await Promise.all(
    runsOf.map(async ({ kind, benchCase, index }) => {
      const source = join(work, `case-${index}.ts`)
      await writeFile(source, entry(benchCase.options))
      const outdir = join(work, kind === 'split' ? `split-${index}` : '.')
      const outfile = join(outdir, `case-${index}.mjs`)
      await build({
        entryPoints: [source],
        ...(kind === 'split'
          ? { splitting: true, outdir, entryNames: '[name]', outExtension: { '.js': '.mjs' } }
          : { outfile }),
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        minify: true,
        alias: Object.fromEntries(
          packages.map((name) => [`@lamina/${name}`, join(root, 'packages', name, 'src/index.ts')]),
        ),
        banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
        logLevel: 'silent',
      })
      return outfile
    }),
  )
  const baseEnv = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(AWS_|POWERTOOLS_|OTEL_|LAMINA_|_X_AMZN|_HANDLER|LAMBDA_)/.test(key),
    ),
  )
  const results = runsOf.map(() => ({ wall: [] as number[], cpu: [] as number[] }))
  for (let round = 0; round < runs; round++) {
    for (const [index, { benchCase }] of runsOf.entries()) {
      const { stdout } = await run(process.execPath, [bundles[index] as string], {
        cwd: work,
        env: { ...baseEnv, ...benchCase.env },
      })
      const { wall, cpu } = JSON.parse(stdout) as { wall: number; cpu: number }
      results[index]?.wall.push(wall)
      results[index]?.cpu.push(cpu)
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number
  const figures = results.map(({ wall, cpu }) => ({ wall: median(wall), cpu: median(cpu) }))
  const figureOf = (kind: (typeof builds)[number], index: number) =>
    figures[runsOf.findIndex((entry) => entry.kind === kind && entry.index === index)] as (typeof figures)[0]
  console.log(`Node ${process.version}, ${runs} runs per case, median; time from process start to the first answer\n`)
  console.log('| build | case | wall ms | CPU ms | CPU over off | CPU × X-Ray on |')
  console.log('| --- | --- | ---: | ---: | ---: | ---: |')
  for (const { kind, benchCase, index } of runsOf) {
    const { wall, cpu } = figureOf(kind, index)
    const off = figureOf(kind, 0)
    const xray = figureOf(kind, 2)
    console.log(
      `| ${kind} | ${benchCase.name} | ${wall.toFixed(1)} | ${cpu.toFixed(1)} | ${(cpu - off.cpu).toFixed(1)} | ${(cpu / xray.cpu).toFixed(2)} |`,
    )
  }
  console.log('\n| case | CPU split ÷ one file |')
  console.log('| --- | ---: |')
  for (const [index, benchCase] of cases.entries()) {
    console.log(
      `| ${benchCase.name} | ${(figureOf('split', index).cpu / figureOf('one file', index).cpu).toFixed(2)} |`,
    )
  }
  sink.close()
  collector.close()
  await rm(work, { recursive: true, force: true })
}

await main()
