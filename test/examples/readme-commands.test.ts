// Every command an example README gives works as written: each ```sh line is typed as a reader
// types it, from the repository root after `npm ci`, in order, and must succeed. Servers
// (`npx lamina dev … --port 3000`) run in the background on a free port, put in place of the
// README's port in every later line; commands for outside tools (sam, aws, func, gcloud) are
// only shown. `npm run build` at the root (a fresh clone's first step: `npx lamina` and the examples
// use the packages' builds) is run through ensurePackagesBuilt, which builds under the lock that
// keeps parallel test processes from reading a dist/ being rewritten. The parsing rules are tested
// at the end.
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { cleanEnv, ensurePackagesBuilt, repoRoot } from '../support/built-packages.ts'
import { readmeSteps, shellCommands } from '../support/readme-commands.ts'

const examplesDir = join(repoRoot, 'examples')
const readmes = readdirSync(examplesDir)
  .map((name) => join('examples', name, 'README.md'))
  .filter((readme) => existsSync(join(repoRoot, readme)))

beforeAll(ensurePackagesBuilt, 5 * 60_000)

const freePort = async () => {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  return port
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1')
      .once('connect', () => {
        socket.end()
        resolve(true)
      })
      .once('error', () => resolve(false))
  })

interface Server {
  child: ChildProcess
  output: () => string
}

/** Starts a server line in its own process group and resolves once its port takes connections. */
async function startServer(command: string, cwd: string, port: number): Promise<Server> {
  const child = spawn('sh', ['-c', command], { cwd, env: cleanEnv, detached: true })
  let output = ''
  const collect = (chunk: Buffer) => {
    output += chunk
  }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  const exited = once(child, 'exit').then(() => 'exit' as const)
  // A bound, not a wait: a server that never listens fails the test (and is stopped) instead of hanging it.
  let timer: NodeJS.Timeout | undefined
  const givenUp = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), 180_000)
  })
  // A server prints when it starts listening (and builds before that): try the port after each line.
  while (!(await accepts(port))) {
    const event = await Promise.race([
      once(child.stdout as NodeJS.ReadableStream, 'data').then(() => 'data'),
      exited,
      givenUp,
    ])
    if (event === 'exit') throw new Error(`\`${command}\` exited before listening on ${port}:\n${output}`)
    if (event === 'timeout') {
      process.kill(-(child.pid as number), 'SIGINT')
      throw new Error(`\`${command}\` did not listen on ${port} within 3 minutes:\n${output}`)
    }
  }
  clearTimeout(timer)
  return { child, output: () => output }
}

const run = (command: string, cwd: string) =>
  new Promise<{ code: number; output: string }>((resolve) => {
    execFile('sh', ['-c', command], { cwd, env: cleanEnv, timeout: 180_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` })
    })
  })

describe.each(readmes)('%s', (readme) => {
  it('every command works as written', async () => {
    const steps = readmeSteps(readFileSync(join(repoRoot, readme), 'utf8'), repoRoot)
    const servers: Server[] = []
    const ports = new Map<number, number>()
    const local = (command: string) =>
      [...ports].reduce((text, [from, to]) => text.replace(new RegExp(`\\b${from}\\b`, 'g'), String(to)), command)
    try {
      for (const step of steps) {
        if (step.kind === 'shown') continue
        if (step.kind === 'server') {
          const port = step.portInCommand ? await freePort() : step.port
          ports.set(step.port, port)
          servers.push(await startServer(local(step.command), step.cwd, port))
          continue
        }
        if (step.command === 'npm run build' && step.cwd === repoRoot) {
          await ensurePackagesBuilt()
          continue
        }
        const { code, output } = await run(local(step.command), step.cwd)
        const server = servers.map((each) => each.output()).join('\n')
        expect(code, `${readme}:${step.line} \`${step.command}\` exited ${code}:\n${output}\n${server}`).toBe(0)
        expect(output, `${readme}:${step.line} \`${step.command}\` answered a server error`).not.toMatch(
          /Internal Server Error/,
        )
      }
    } finally {
      for (const { child } of servers) {
        if (child.exitCode === null) {
          process.kill(-(child.pid as number), 'SIGINT')
          await once(child, 'exit')
        }
      }
    }
    expect(steps.some((step) => step.kind !== 'shown')).toBe(true)
  }, 600_000)
})

describe('reading README commands', () => {
  const readme = [
    '```sh',
    '# a comment',
    'npx lamina build examples/api-backend   # writes .lamina/build',
    'npx lamina dev examples/api-backend --port 3000',
    'curl -s -X POST http://localhost:3000/books \\',
    "  -d '{}'",
    '```',
    '```text',
    'not a command',
    '```',
    '```sh deploy',
    'npx lamina build examples/api-backend',
    'cd examples/api-backend',
    'sam deploy --guided',
    'curl https://<api-id>.execute-api.<region>.amazonaws.com/books',
    'npm start',
    '```',
    '```sh',
    'sam local start-api',
    'curl http://localhost:3000/books',
    '```',
    '```sh',
    'npm start',
    'curl -s https://<api-id>.execute-api.<region>.amazonaws.com/books',
    '```',
  ].join('\n')

  it('joins continued lines and drops comments and other blocks', () => {
    expect(shellCommands(readme).map(({ command }) => command)).toEqual([
      'npx lamina build examples/api-backend',
      'npx lamina dev examples/api-backend --port 3000',
      "curl -s -X POST http://localhost:3000/books -d '{}'",
      'npx lamina build examples/api-backend',
      'cd examples/api-backend',
      'sam deploy --guided',
      'curl https://<api-id>.execute-api.<region>.amazonaws.com/books',
      'npm start',
      'sam local start-api',
      'curl http://localhost:3000/books',
      'npm start',
      'curl -s https://<api-id>.execute-api.<region>.amazonaws.com/books',
    ])
  })

  it('runs servers in the background, shows outside tools, what follows them and placeholders, and carries cd over within a block', () => {
    const steps = readmeSteps(readme, repoRoot)
    expect(steps.map((step) => step.kind)).toEqual([
      ...['run', 'server', 'run'],
      ...['run', 'run', 'shown', 'shown', 'shown'],
      ...['shown', 'shown'],
      ...['run', 'shown'],
    ])
    expect(steps[1]).toMatchObject({ port: 3000, portInCommand: true })
    expect(steps[4]).toMatchObject({ cwd: repoRoot })
    expect(steps[5]).toMatchObject({ reason: 'needs sam' })
    expect(steps[6]).toMatchObject({ reason: 'it follows a command that is not run' })
    expect(steps[9]).toMatchObject({ reason: 'it follows a command that is not run' })
    expect(steps[10]).toMatchObject({ cwd: repoRoot })
    expect(steps[11]).toMatchObject({ reason: 'has a placeholder' })
  })
})
