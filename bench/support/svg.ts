// A horizontal bar chart as plain SVG (no dependency): one bar per label, the value written at
// its end, an optional reference line (1 = the same as the twin) and a log axis when the bars
// span more than an order of magnitude.
import type { Chart } from './report.js'
import { formatRatio } from './report.js'

const xmlText = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough))
  const scaled = rough / power
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * power
}

export function barChart(chart: Chart): string {
  const bars = chart.bars.filter((bar) => Number.isFinite(bar.value) && bar.value >= 0)
  const labelWidth = Math.round(Math.min(420, 16 + 6.6 * Math.max(10, ...bars.map((bar) => bar.label.length))))
  const plotWidth = 420
  const rowHeight = 24
  const top = 44
  const width = Math.round(labelWidth + plotWidth + 80)
  const height = top + rowHeight * bars.length + 34
  const values = bars.map((bar) => bar.value).concat(chart.reference ?? [])
  const positive = values.filter((value) => value > 0)
  const max = Math.max(...values, 1e-9)
  const log = chart.log === true && positive.length > 0
  // A log axis from a power of ten at or below the smallest bar to one at or above the largest.
  const low = log ? 10 ** Math.floor(Math.log10(Math.min(...positive))) : 0
  // A linear axis in round steps (1, 2 or 5 times a power of ten), five or fewer of them.
  const step = niceStep((max * 1.05) / 5)
  const high = log ? 10 ** Math.ceil(Math.log10(max * 1.0001)) : step * Math.ceil((max * 1.05) / step)
  const x = (value: number) =>
    log
      ? labelWidth +
        (plotWidth * (Math.log10(Math.max(value, low)) - Math.log10(low))) / (Math.log10(high) - Math.log10(low))
      : labelWidth + (plotWidth * value) / high
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${xmlText(`${chart.title}: ${bars.map((bar) => `${bar.label} ${formatRatio(bar.value)}`).join(', ')}`)}</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="8" y="18" font-size="14" font-weight="bold">${xmlText(chart.title)}</text>`,
    `<text x="8" y="34" fill="#555">${xmlText(chart.unit)}${log ? ' (log scale)' : ''}</text>`,
  ]
  // Axis ticks: powers of ten on a log axis, five even steps otherwise.
  const ticks: number[] = []
  if (log) for (let tick = low; tick <= high * 1.0001; tick *= 10) ticks.push(tick)
  else for (let tick = 0; tick <= high * 1.0001; tick += step) ticks.push(tick)
  const axisY = top + rowHeight * bars.length + 4
  for (const tick of ticks) {
    const tx = x(tick).toFixed(1)
    parts.push(`<line x1="${tx}" y1="${top - 4}" x2="${tx}" y2="${axisY}" stroke="#eee"/>`)
    parts.push(`<text x="${tx}" y="${axisY + 14}" text-anchor="middle" fill="#555">${formatRatio(tick)}</text>`)
  }
  bars.forEach((bar, index) => {
    const y = top + index * rowHeight
    const end = x(bar.value)
    const lamina = bar.label.toLowerCase().includes('lamina')
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${xmlText(bar.label)}</text>`,
      `<rect x="${labelWidth}" y="${y + 4}" width="${Math.max(1, end - labelWidth).toFixed(1)}" height="${rowHeight - 8}" fill="${lamina ? '#2f6fdf' : '#9aa4b2'}"/>`,
      `<text x="${(end + 4).toFixed(1)}" y="${y + 15}">${formatRatio(bar.value)}</text>`,
    )
  })
  if (chart.reference !== undefined) {
    const rx = x(chart.reference).toFixed(1)
    parts.push(`<line x1="${rx}" y1="${top - 4}" x2="${rx}" y2="${axisY}" stroke="#d33" stroke-dasharray="4 3"/>`)
  }
  parts.push('</svg>')
  return `${parts.join('\n')}\n`
}
