// lamina dev around the invocations: restarting on file changes, firing schedules, and refusing
// bad input with one line that says what is wrong and what to do.
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { startDevServer } from '../../src/dev/server.js'
import { startLocalFunction } from '../../src/runtime/local-function.js'
import { exampleFolder, fixtures, httpTemplate, nextInvocation, startTestServer } from './support/dev-server.js'

/** Answers of known shapes, read loosely as tests do. */
type Json = any
const json = (response: Response): Promise<Json> => response.json()

const answering = (text: string) =>
  `export const handler = async () => ({ statusCode: 200, body: ${JSON.stringify(text)} })\n`

describe('lamina dev: restart on change', () => {
  it('restarts the function when its source changes: the next request runs the new code, cold', async () => {
    // Prepare
    const dir = exampleFolder({ 'template.yaml': httpTemplate(), 'src/handler.mjs': answering('before') })
    const server = await startTestServer({ dir, watch: true })
    try {
      const before = await (await fetch(server.url)).text()
      const restarted = once(server, 'restart')
      // Act
      writeFileSync(join(dir, 'src/handler.mjs'), answering('after'))
      const [{ files }] = await restarted
      const after = await fetch(server.url)
      // Assess
      expect(before).toBe('before')
      expect(files).toEqual(['src/handler.mjs'])
      expect(await after.text()).toBe('after')
      expect(server.history.list().at(-1)?.cold).toBe(true)
      expect(server.lines).toContainEqual(expect.stringMatching(/^↻ src\/handler\.mjs changed: restarted in \d+ ms$/))
    } finally {
      await server.close()
    }
  })

  it('does not restart for files that are not code, JSON or the template (a log written into the folder)', async () => {
    // Prepare
    const dir = exampleFolder({ 'template.yaml': httpTemplate(), 'src/handler.mjs': answering('before') })
    const server = await startTestServer({ dir, watch: true })
    try {
      const restarted = once(server, 'restart')
      // Act: `lamina dev . > dev.log` writes into the folder it watches
      writeFileSync(join(dir, 'dev.log'), 'listening on http://localhost:3000\n')
      writeFileSync(join(dir, 'notes.md'), '# notes\n')
      writeFileSync(join(dir, 'src/handler.mjs'), answering('after'))
      const [{ files }] = await restarted
      // Assess: the one restart is for the code
      expect(files).toEqual(['src/handler.mjs'])
    } finally {
      await server.close()
    }
  })

  it('re-reads the template when it changes: a new route answers', async () => {
    const dir = exampleFolder({
      'template.yaml': httpTemplate(),
      'src/handler.mjs': answering('hi'),
      'src/other.mjs': answering('other'),
    })
    const server = await startTestServer({ dir, watch: true })
    try {
      const restarted = once(server, 'restart')
      const twoFunctions = `${httpTemplate('handler.handler', '      Events:\n        A: { Type: HttpApi, Properties: { Path: /a, Method: GET } }')}
  Other:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: other.handler
      Events:
        B: { Type: HttpApi, Properties: { Path: /b, Method: GET } }
`
      writeFileSync(join(dir, 'template.yaml'), twoFunctions)
      await restarted
      expect(await (await fetch(`${server.url}/b`)).text()).toBe('other')
      expect(server.template.functions.map((fn) => fn.id)).toEqual(['Fn', 'Other'])
    } finally {
      await server.close()
    }
  })

  it('says so, and keeps serving, when a changed template is broken', async () => {
    const dir = exampleFolder({ 'template.yaml': httpTemplate(), 'src/handler.mjs': answering('still here') })
    const server = await startTestServer({ dir, watch: true })
    try {
      const restarted = once(server, 'restart')
      writeFileSync(join(dir, 'template.yaml'), httpTemplate('missing.handler'))
      const [{ error }] = await restarted
      expect(error?.message).toMatch(/src\/missing\.ts does not exist/)
      expect(server.lines.find((line) => line.includes('the restart failed'))).toMatch(
        /src\/missing\.ts does not exist/,
      )
      expect(await (await fetch(server.url)).text()).toBe('still here')
    } finally {
      await server.close()
    }
  })
})

describe('lamina dev --schedule', () => {
  it('fires a scheduled function with an EventBridge Scheduled Event at the interval asked for', async () => {
    // Prepare
    const server = await startTestServer({ dir: join(fixtures, 'shop'), schedule: true, scheduleEveryMs: 100 })
    try {
      // Act
      const record = await nextInvocation(server, (entry) => entry.source === 'schedule')
      // Assess
      expect(record).toMatchObject({
        label: 'schedule shop-tick (rate(5 minutes))',
        summary: 'done',
        ok: true,
        functionName: 'TickFunction',
      })
      expect(record.event).toMatchObject({
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        resources: ['arn:aws:events:us-east-1:123456789012:rule/shop-tick'],
      })
      expect(record.logs).toEqual(['tick from arn:aws:events:us-east-1:123456789012:rule/shop-tick'])
    } finally {
      await server.close()
    }
  })

  it('uses the rate from the template when no interval is given, and names a cron schedule it cannot fire', async () => {
    const dir = exampleFolder({
      'template.yaml': httpTemplate(
        'handler.handler',
        '      Events:\n        Nightly: { Type: Schedule, Properties: { Schedule: cron(0 3 * * ? *) } }\n        Often: { Type: Schedule, Properties: { Schedule: rate(1 minute) } }',
      ),
      'src/handler.mjs': answering('x'),
    })
    const server = await startTestServer({ dir, schedule: true })
    await server.close()
    expect(server.lines).toContain(
      'schedule Nightly (cron(0 3 * * ? *)) is not fired locally: pass --schedule-every 1m to fire it',
    )
  })
})

describe('lamina dev: bad input', () => {
  const start = (dir: string, extra = {}) =>
    startDevServer({ dir, port: 0, watch: false, print: () => {}, startFunction: startLocalFunction, ...extra })

  it('an example folder that does not exist', async () => {
    await expect(start('examples/nope')).rejects.toThrow(
      'no example folder at examples/nope: pass a folder holding a template.yaml, e.g. lamina dev examples/api-backend',
    )
  })

  it('a folder without a template', async () => {
    await expect(start(exampleFolder({ 'src/handler.mjs': answering('x') }))).rejects.toThrow(
      /no template\.yaml in .*: add a SAM template .* or pass --handler <file\.export>/,
    )
  })

  it('a handler whose source does not exist', async () => {
    await expect(start(exampleFolder({ 'template.yaml': httpTemplate('gone.handler') }))).rejects.toThrow(
      /function Fn: its handler source src\/gone\.ts does not exist: create it, or fix Handler\/CodeUri/,
    )
  })

  it('a port in use', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as { port: number }).port
    try {
      await expect(
        start(exampleFolder({ 'template.yaml': httpTemplate(), 'src/handler.mjs': answering('x') }), { port }),
      ).rejects.toThrow(`port ${port} is in use: stop what is using it or pass --port <another>`)
    } finally {
      blocker.close()
    }
  })

  it('serves one handler without a template when given --handler', async () => {
    const server = await startTestServer({
      dir: exampleFolder({ 'src/handler.mjs': answering('no template') }),
      handler: 'src/handler.handler',
    })
    try {
      expect(await (await fetch(`${server.url}/any/path`)).text()).toBe('no template')
    } finally {
      await server.close()
    }
  })
})

describe('lamina dev: TypeScript functions', () => {
  const typescriptHandler = (word: string) => `
const word: string = ${JSON.stringify(word)}
export const handler = async () => ({
  statusCode: 200,
  body: JSON.stringify({ word, url: import.meta.url, stack: new Error('where').stack }),
})
`

  it('run from a bundle whose import.meta.url and stack traces still name the .ts source; a save that does not compile is reported and the old code keeps serving', async () => {
    // Prepare
    const dir = exampleFolder({ 'template.yaml': httpTemplate(), 'src/handler.ts': typescriptHandler('first') })
    const server = await startTestServer({ dir, watch: true })
    try {
      const first = await json(await fetch(server.url))
      const restarted = once(server, 'restart')
      // Act
      writeFileSync(join(dir, 'src/handler.ts'), 'export const handler = async ( => {')
      const [{ error }] = await restarted
      const after = await json(await fetch(server.url))
      // Assess
      expect(first.url).toBe(pathToFileURL(join(dir, 'src/handler.ts')).href)
      expect(first.stack).toContain(`${join(dir, 'src/handler.ts')}:5:`)
      expect(error?.message).toMatch(
        /^function Fn does not compile \(.*src\/handler\.ts:1:\d+: .*\): fix the source; the dev server rebuilds on save$/,
      )
      expect(after.word).toBe('first')
    } finally {
      await server.close()
    }
  })

  it('a source that does not compile at start is one line', async () => {
    const dir = exampleFolder({ 'template.yaml': httpTemplate(), 'src/handler.ts': 'export const = 1' })
    await expect(startTestServer({ dir })).rejects.toThrow(
      /^function Fn does not compile \(.*handler\.ts:1:\d+: .*\): fix the source/,
    )
  })
})
