// Watches an example's files and calls back once per burst of changes (an editor's save is
// several events; a `git checkout` is hundreds). Build output and dependencies are not sources.
import { type FSWatcher, statSync, watch } from 'node:fs'
import { join } from 'node:path'

const ignored = /(^|[/\\])(node_modules|dist|coverage|\.git|\.aws-sam|\.lamina|\.turbo)([/\\]|$)/

export interface Watcher {
  close(): void
}

/** Node 20's recursive watcher on Linux reports files that already existed when it starts: a file
 * still there and not modified since the watch began did not change. */
function changedSince(path: string, startedAt: number) {
  try {
    const stat = statSync(path)
    return Math.max(stat.mtimeMs, stat.ctimeMs) >= startedAt
  } catch {
    return true // removed
  }
}

export function watchSources(dir: string, onChange: (files: string[]) => void, debounceMs = 40): Watcher {
  const startedAt = Date.now() - 1
  let pending = new Set<string>()
  let timer: NodeJS.Timeout | undefined
  const watcher: FSWatcher = watch(dir, { recursive: true }, (_, file) => {
    if (!file || ignored.test(String(file)) || !changedSince(join(dir, String(file)), startedAt)) return
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
