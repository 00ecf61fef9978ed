import dgram from 'node:dgram'
import { captureOutput, newTraceId, startXRayDaemon, traceHeader } from '@lamina/testing'
import { describe, expect, test } from 'vitest'

describe('captureOutput', () => {
  test('collects stdout and stderr lines in order, parses the JSON ones, and restores the streams', () => {
    const originalWrite = process.stdout.write
    const output = captureOutput()
    try {
      process.stdout.write('{"level":"INFO","message":"one"}\n')
      process.stderr.write(Buffer.from('plain text\n{"level":"ERROR"'))
      process.stderr.write(',"message":"two"}\n')
      process.stdout.write('{"n":3}\n')
    } finally {
      output.restore()
    }
    expect(output.lines).toEqual([
      '{"level":"INFO","message":"one"}',
      'plain text',
      '{"level":"ERROR","message":"two"}',
      '{"n":3}',
    ])
    expect(output.records()).toEqual([{ level: 'INFO', message: 'one' }, { level: 'ERROR', message: 'two' }, { n: 3 }])
    expect(output.text()).toContain('plain text')
    expect(process.stdout.write).toBe(originalWrite)
  })

  test('a line still being written counts in records() and text(); write callbacks are called', () => {
    const output = captureOutput()
    let called = false
    try {
      process.stdout.write('{"partial":true}', () => {
        called = true
      })
    } finally {
      output.restore()
    }
    expect(output.records()).toEqual([{ partial: true }])
    expect(output.text()).toBe('{"partial":true}')
    expect(called).toBe(true)
  })
})

describe('startXRayDaemon', () => {
  test('receives segment documents over UDP on 127.0.0.1, as the X-Ray SDK sends them', async () => {
    const daemon = await startXRayDaemon()
    try {
      const [host, port] = daemon.address.split(':') as [string, string]
      const client = dgram.createSocket('udp4')
      const message = Buffer.from('{"format":"json","version":1}\n{"name":"handler","id":"1"}')
      await new Promise<void>((resolve, reject) =>
        client.send(message, Number(port), host, (error) => (error ? reject(error) : resolve())),
      )
      client.close()
      expect(await daemon.waitFor(1)).toEqual([{ name: 'handler', id: '1' }])
      expect(await daemon.flush()).toHaveLength(1)
      expect(daemon.environment).toEqual({
        LAMBDA_TASK_ROOT: '/var/task',
        _HANDLER: 'index.handler',
        AWS_XRAY_DAEMON_ADDRESS: daemon.address,
      })
    } finally {
      daemon.close()
    }
  })
})

describe('trace ids', () => {
  test('each trace id is fresh and in X-Ray’s format; the header is the one Lambda sets', () => {
    const id = newTraceId()
    expect(id).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/)
    expect(newTraceId()).not.toBe(id)
    expect(traceHeader(id)).toBe(`Root=${id};Parent=53995c3f42cd8ad8;Sampled=1`)
    expect(traceHeader()).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=1$/)
  })
})
