// Watches an example's files and calls back once per burst of changes (an editor's save is
// several events; a `git checkout` is hundreds). Build output and dependencies are not sources,
// and only code, JSON and the template count: a log the user writes into the folder
// (`lamina dev . > dev.log`) would otherwise restart the functions on every line it prints.
import { type FSWatcher, readdirSync, statSync, watch } from 'node:fs'
import { join, relative } from 'node:path'

const ignored = /(^|[/\\])(node_modules|dist|coverage|\.git|\.aws-sam|\.lamina|\.turbo)([/\\]|$)/
const inputs = /\.([cm]?[jt]sx?|json)$|(^|[/\\])template\.ya?ml$/
const isSource = (file: string) => inputs.test(file) && !ignored.test(file)

export interface Watcher {
  close(): void
}

const modifiedAt = (path: string) => {
  try {
    return statSync(path).mtimeMs
  } catch {
    return undefined // removed
  }
}

/** Each file's modification time: Node 20's recursive watcher on Linux may report files it only
 * discovered, so an event counts as a change only when the file's time differs from this. */
function snapshot(dir: string, root = dir, times = new Map<string, number>()) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (ignored.test(relative(root, path))) continue
    if (entry.isDirectory()) snapshot(path, root, times)
    else if (isSource(relative(root, path))) times.set(relative(root, path), modifiedAt(path) as number)
  }
  return times
}

export function watchSources(dir: string, onChange: (files: string[]) => void, debounceMs = 40): Watcher {
  const times = snapshot(dir)
  let pending = new Set<string>()
  let timer: NodeJS.Timeout | undefined
  const watcher: FSWatcher = watch(dir, { recursive: true }, (_, name) => {
    const file = String(name ?? '')
    if (!isSource(file)) return
    const time = modifiedAt(join(dir, file))
    if (time !== undefined && times.get(file) === time) return
    if (time === undefined) times.delete(file)
    else times.set(file, time)
    pending.add(file)
    clearTimeout(timer)
    timer = setTimeout(() => {
      const files = [...pending]
      pending = new Set()
      onChange(files)
    }, debounceMs)
  })
  return {
    close() {
      clearTimeout(timer)
      watcher.close()
    },
  }
}
