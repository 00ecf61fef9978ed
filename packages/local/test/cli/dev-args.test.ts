// `lamina dev`'s command line, read in process: every option, and every mistake as one line.
import { describe, expect, it } from 'vitest'
import { main } from '../../src/cli.js'
import { devCommand, parseDevArgs } from '../../src/dev/command.js'
import { isDevError } from '../../src/dev/errors.js'
import { startLocalFunction } from '../../src/runtime/local-function.js'
import { exampleFolder, httpTemplate } from '../dev/support/dev-server.js'

describe('parseDevArgs', () => {
  it('defaults: the current folder on port 3000, watching, no schedules', () => {
    expect(parseDevArgs([])).toEqual({ dir: '.', port: 3000, schedule: false, watch: true })
  })

  it('reads every option', () => {
    expect(
      parseDevArgs([
        'ex',
        '-p',
        '0',
        '--host',
        '0.0.0.0',
        '--event',
        'alb',
        '--handler',
        'src/a.b',
        '--concurrency',
        '8',
        '--schedule-every',
        '2s',
        '--no-watch',
      ]),
    ).toEqual({
      dir: 'ex',
      port: 0,
      host: '0.0.0.0',
      format: 'alb',
      handler: 'src/a.b',
      concurrency: 8,
      schedule: true,
      scheduleEveryMs: 2000,
      watch: false,
    })
    expect(parseDevArgs(['--schedule'])).toMatchObject({ schedule: true })
    expect(parseDevArgs(['-h'])).toBe('help')
  })

  it.each([
    [['a', 'b'], 'one example folder at a time (got a, b): run lamina dev <example-dir>'],
    [['--port', '70000'], '--port "70000" is not a whole number from 0 to 65535: pass e.g. --port 3000'],
    [['--port', '1.5'], '--port "1.5" is not a whole number from 0 to 65535: pass e.g. --port 3000'],
    [['--concurrency', '0'], '--concurrency "0" is not a whole number from 1 to 1000: pass e.g. --concurrency 8'],
    [['--port'], "Option '-p, --port <value>' argument missing: run lamina dev --help for the options"],
    [['--event', 'v3'], '--event "v3" is not an HTTP event format: pass one of v2, v1, alb, url'],
    [['--schedule-every', 'often'], '--schedule-every "often" is not a duration: write it like 500ms, 10s, 2m or 1h'],
  ])('%j → %s', (args, message) => {
    let thrown: unknown
    try {
      parseDevArgs(args)
    } catch (error) {
      thrown = error
    }
    expect(isDevError(thrown)).toBe(true)
    expect((thrown as Error).message).toBe(message)
  })
})

describe('devCommand and main on bad input', () => {
  const capture = () => {
    const out: string[] = []
    const err: string[] = []
    return { out, err, io: { out: (line: string) => out.push(line), err: (line: string) => err.push(line) } }
  }

  it('a user mistake is one line on stderr and exit 1; nothing is left listening', async () => {
    const { err, io } = capture()
    expect(await devCommand(['nowhere'], { ...io, startFunction: startLocalFunction })).toBe(1)
    expect(err).toEqual([
      'lamina dev: no example folder at nowhere: pass a folder holding a template.yaml, e.g. lamina dev examples/api-backend',
    ])
  })

  it("the runtime's own refusal (a Timeout past Lambda's 900 s) is one line from main and exit 1", async () => {
    const { err, io } = capture()
    const dir = exampleFolder({
      'template.yaml': httpTemplate('handler.handler', '      Timeout: 1000'),
      'src/handler.mjs': 'export const handler = () => 1',
    })
    expect(await main(['dev', dir, '--port', '0', '--no-watch'], io)).toBe(1)
    expect(err).toEqual([
      "lamina dev: timeoutSeconds must be a number of seconds from 1 to 900 (Lambda's range); got 1000.",
    ])
  })

  it('isDevError recognises only its own errors', () => {
    expect([isDevError(new Error('x')), isDevError(null), isDevError('text')]).toEqual([false, false, false])
  })
})
