// Watches an example's files and calls back once per burst of changes (an editor's save is
// several events; a `git checkout` is hundreds). Build output and dependencies are not sources.
import { type FSWatcher, watch } from 'node:fs'

const ignored = /(^|[/\\])(node_modules|dist|coverage|\.git|\.aws-sam|\.lamina|\.turbo)([/\\]|$)/

export interface Watcher {
  close(): void
}

export function watchSources(dir: string, onChange: (files: string[]) => void, debounceMs = 40): Watcher {
  let pending = new Set<string>()
  let timer: NodeJS.Timeout | undefined
  const watcher: FSWatcher = watch(dir, { recursive: true }, (_, file) => {
    if (!file || ignored.test(String(file))) return
    pending.add(String(file))
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
