export type Row = Record<string, string>

/** A plain-text table: readable in a terminal and pasteable into a README. */
export function printTable(title: string, rows: Row[]): void {
  const columns = Object.keys(rows[0] ?? {})
  const width = (column: string) => Math.max(column.length, ...rows.map((row) => (row[column] ?? '').length))
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  console.log(`\n${title}`)
  console.log(line(columns.map((column) => column.padEnd(width(column)))))
  console.log(line(columns.map((column) => '-'.repeat(width(column)))))
  for (const row of rows) console.log(line(columns.map((column) => (row[column] ?? '').padStart(width(column)))))
}
