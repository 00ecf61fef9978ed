// Running bench files the way the suite does: each in its own Node process (one bench's JIT
// state, heap and timers never colour another's figures), its scenarios collected from the
// JSON lines it appends to BENCH_OUT. A bench that does not report (a plain script printing
// tables) still shows up: its printed tables are read back from its output.
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Scenario } from './report.js'
import type { Row } from './table.js'

export const benchDir = fileURLToPath(new URL('..', import.meta.url))
export const root = fileURLToPath(new URL('../..', import.meta.url))

export interface FileResult {
  file: string
  ok: boolean
  /** Why it failed: exit code or signal, and the last lines it wrote. */
  failure?: string
  seconds: number
  scenarios: Scenario[]
}

export interface RunResults {
  date: string
  node: string
  cpu: string
  cores: number
  quick: boolean
  files: FileResult[]
}

/** Every bench in bench/: the `*.bench.ts` files (whoever wrote them) and the size report. */
export function benchFiles(filter?: string): string[] {
  return readdirSync(benchDir)
    .filter((file) => file.endsWith('.bench.ts') || file === 'size.mjs')
    .filter((file) => filter === undefined || filter.split(',').some((part) => file.includes(part)))
    .sort((a, b) => Number(a === 'size.mjs') - Number(b === 'size.mjs') || a.localeCompare(b))
}

export function machine(): Pick<RunResults, 'node' | 'cpu' | 'cores'> {
  const list = cpus()
  return { node: process.version, cpu: list[0]?.model.trim() ?? 'unknown', cores: list.length }
}

/** Runs one bench file in a child process; its output goes to ours as it comes (unless `quiet`). */
export async function runFile(
  file: string,
  options: { quick: boolean; quiet?: boolean; timeoutMs?: number },
): Promise<FileResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lamina-bench-'))
  const out = join(dir, 'scenarios.jsonl')
  const started = performance.now()
  const args = file.endsWith('.ts') ? ['--import', 'tsx', `bench/${file}`] : [`bench/${file}`]
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, BENCH_OUT: out, ...(options.quick ? { BENCH_QUICK: '1' } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const take = (target: NodeJS.WriteStream) => (chunk: Buffer) => {
    output += chunk.toString()
    if (!options.quiet) target.write(chunk)
  }
  child.stdout.on('data', take(process.stdout))
  child.stderr.on('data', take(process.stderr))
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15 * 60_000)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
  )
  clearTimeout(timer)
  const seconds = (performance.now() - started) / 1000
  let scenarios: Scenario[] = []
  try {
    scenarios = readFileSync(out, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Scenario)
  } catch {
    // No JSON lines: a bench that only prints; read its tables below.
  }
  rmSync(dir, { recursive: true, force: true })
  if (scenarios.length === 0) scenarios = printedTables(file, output)
  const ok = code === 0
  return {
    file,
    ok,
    seconds,
    scenarios,
    ...(ok ? {} : { failure: `${signal ?? `exit ${code}`}: ${output.trim().split('\n').slice(-5).join(' / ')}` }),
  }
}

/** Markdown tables a bench printed (a title line, then `|` rows), as a scenario without ratios. */
export function printedTables(file: string, output: string): Scenario[] {
  const lines = output.split('\n')
  const tables: Scenario['tables'] = []
  for (let index = 0; index < lines.length; index++) {
    if (!lines[index]?.trimStart().startsWith('|')) continue
    const block: string[] = []
    while (lines[index]?.trimStart().startsWith('|')) block.push(lines[index++] as string)
    const cells = (line: string) =>
      line
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((cell) => cell.trim())
    const header = cells(block[0] as string)
    const rows = block
      .slice(1)
      .filter((line) => !/^\|[\s:|-]+\|$/.test(line.trim()))
      .map((line) => Object.fromEntries(cells(line).map((cell, at) => [header[at] ?? `column ${at + 1}`, cell])) as Row)
    const titleAt = index - block.length - 1
    const title = lines[titleAt]?.trim() || file
    tables.push({ title, rows })
  }
  if (tables.length === 0) return []
  return [{ id: file.replace(/\.(bench\.ts|mjs)$/, ''), title: file, tables, ratios: [] }]
}
