import { wrap } from '@lamina/core'
import { createContext } from '@lamina/testing'
import { expect, test } from 'vitest'

test('before → handler → after, cleanup last', async () => {
  const calls: string[] = []
  const handler = wrap(async (event: { n: number }) => {
    calls.push('handler')
    return event.n * 2
  }).use({
    before: () => void calls.push('before'),
    after: (request) => {
      calls.push('after')
      request.response += 1
    },
    cleanup: () => void calls.push('cleanup'),
  })
  expect(await handler({ n: 2 }, createContext())).toBe(5)
  expect(calls).toEqual(['before', 'handler', 'after', 'cleanup'])
})
