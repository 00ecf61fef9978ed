// The inspector page in a real headless browser (Debian's chromium through playwright-core):
// invocations made with fetch appear live, and the waterfall draws each middleware's bar where
// and as long as its timing says, checked on the element boxes and on the screenshot's pixels.
import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InvocationRecord } from '../../src/dev/history.js'
import { fixtures, startTestServer, type TestServer } from './support/dev-server.js'

let server: TestServer
let browser: Browser
let page: Page

beforeAll(async () => {
  server = await startTestServer({ dir: join(fixtures, 'shop') })
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] })
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
  await page.goto(`${server.url}/_lamina`)
  await page.waitForSelector('body[data-live]')
}, 120_000)
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

/** Counts the pixels of each colour in a PNG, decoded by the browser itself. */
async function countColours(png: Buffer, colours: Record<string, [number, number, number]>) {
  const decoder = await browser.newPage()
  try {
    // Run in the page (a string, so this file needs no DOM types): decode, draw, count.
    const count = `(async () => {
      const colours = ${JSON.stringify(colours)};
      const image = new Image();
      image.src = 'data:image/png;base64,${png.toString('base64')}';
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0);
      const pixels = context.getImageData(0, 0, image.width, image.height).data;
      const counts = {};
      for (const name of Object.keys(colours)) counts[name] = 0;
      for (let index = 0; index < pixels.length; index += 4) {
        for (const [name, [r, g, b]] of Object.entries(colours)) {
          if (Math.abs(pixels[index] - r) + Math.abs(pixels[index + 1] - g) + Math.abs(pixels[index + 2] - b) < 12) counts[name]++;
        }
      }
      return counts;
    })()`
    return (await decoder.evaluate(count)) as Record<string, number>
  } finally {
    await decoder.close()
  }
}

describe('the inspector page at /_lamina', () => {
  it('shows each invocation as it ends, newest first, with its event, response and log lines', async () => {
    // Act
    await fetch(`${server.url}/items/5?from=test`)
    await fetch(`${server.url}/broken`)
    // Assess: both appear without a reload
    await page.waitForSelector('#list li:nth-child(2)')
    const labels = await page.locator('#list li .label').allTextContents()
    expect(labels.slice(0, 2)).toEqual(['GET /broken', 'GET /items/5'])
    expect(await page.locator('#list li').first().getAttribute('class')).toContain('failed')
    await expect.poll(() => page.locator('#detail h2').textContent()).toContain('GET /broken → 502')
    expect(await page.locator('#detail pre.logs').textContent()).toContain('about to fail')
    expect(await page.locator('#detail pre.response').textContent()).toContain('"errorType": "Error"')
    // Clicking an older one shows it, and a new invocation does not take the view away
    await page.locator('#list li', { hasText: 'GET /items/5' }).click()
    await fetch(`${server.url}/items/6`)
    await page.waitForSelector('#list li:has-text("GET /items/6")')
    expect(await page.locator('#detail h2').textContent()).toBe('GET /items/5 → 200')
    expect(await page.locator('#detail pre.event').textContent()).toContain('"rawQueryString": "from=test"')
  })

  it('shows what a request carried as text, never as markup', async () => {
    // Prepare: a fresh page follows the newest invocation
    await page.reload()
    await page.waitForSelector('body[data-live]')
    // Act
    await fetch(`${server.url}/items/${encodeURIComponent('<img src=x onerror="document.title=1">')}`)
    // Assess
    await page.waitForSelector('#detail pre.event:has-text("<img src=x")')
    expect(await page.locator('#list img, #detail img').count()).toBe(0)
    expect(await page.title()).toBe('lamina dev · inspector')
  })

  it('draws the waterfall: one bar per middleware hook, placed and sized by its timing, in its phase colour', async () => {
    // Prepare: a fresh page follows the newest invocation
    await page.reload()
    await page.waitForSelector('body[data-live]')
    // Act
    await fetch(`${server.url}/slow`)
    await page.waitForSelector('#detail h2:has-text("GET /slow")')
    // Assess: the element boxes
    const record = ((await (await fetch(`${server.url}/_lamina/invocations`)).json()) as InvocationRecord[]).at(
      -1,
    ) as InvocationRecord
    const bars = page.locator('[data-testid=waterfall] .bar')
    expect(await bars.count()).toBe(record.timings.length)
    const track = (await page.locator('[data-testid=waterfall] .track').first().boundingBox()) as {
      x: number
      width: number
    }
    const total = Math.max(record.durationMs, ...record.timings.map((timing) => timing.endMs))
    for (const [index, timing] of record.timings.entries()) {
      const box = (await bars.nth(index).boundingBox()) as { x: number; width: number }
      expect(box.width).toBeCloseTo(((timing.endMs - timing.startMs) / total) * track.width, -0.5)
      expect(box.x - track.x).toBeCloseTo((timing.startMs / total) * track.width, -0.5)
    }
    // ...and the pixels: the three slow hooks' colours fill the waterfall in the proportions of their times
    const timeOf = (name: string) =>
      record.timings.filter((t) => t.middleware === name).reduce((sum, t) => sum + t.endMs - t.startMs, 0)
    const png = await page.locator('[data-testid=waterfall]').screenshot()
    const counts = await countColours(png, {
      before: [0x3b, 0x6f, 0xe0],
      handler: [0x1f, 0x9d, 0x63],
      after: [0xe0, 0x8a, 0x1e],
    })
    const rowHeight = 14
    const legendSwatch = 10 * 10
    for (const [phase, name] of [
      ['before', 'slow-before'],
      ['handler', 'handler'],
      ['after', 'slow-after'],
    ] as const) {
      const expected = (timeOf(name) / total) * track.width * rowHeight + legendSwatch
      expect(counts[phase]).toBeGreaterThan(expected * 0.8)
      expect(counts[phase]).toBeLessThan(expected * 1.2 + 2 * rowHeight)
    }
  })
})
