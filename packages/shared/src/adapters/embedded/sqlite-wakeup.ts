import { EventEmitter } from 'node:events'
import { watch, type FSWatcher } from 'node:fs'
import { basename, dirname } from 'node:path'

/** When to look again after the write-ahead log changed. */
const RECHECK_AFTER_MS = [20, 200]

/** Same-process senders ring this bell; keyed by database file path. */
const bell = new EventEmitter()
bell.setMaxListeners(0)

/** Tells this process's subscribers on `file` that a message was sent. */
export function ringSent(file: string): void {
  bell.emit(file)
}

/**
 * Calls `listener` soon after anything may have been sent to the queue in
 * `file`: at once for sends from this process, and on every change to the
 * SQLite write-ahead log for sends from other processes. Returns a
 * function that stops listening.
 */
export function watchForSends(
  file: string,
  listener: () => void,
  onError: (err: Error) => void,
): () => void {
  bell.on(file, listener)

  // Watch the folder rather than the -wal file itself: the file may not
  // exist yet, and SQLite deletes and recreates it when the last
  // connection closes.
  const walName = `${basename(file)}-wal`
  let watcher: FSWatcher | undefined
  let rechecks: NodeJS.Timeout[] = []
  // A writer appends to the log first and publishes the commit in the
  // shared-memory index after, which makes no file event. A look at the
  // log event alone may come too early, so look again a little later.
  const onLogChange = () => {
    listener()
    for (const timer of rechecks) clearTimeout(timer)
    rechecks = RECHECK_AFTER_MS.map((ms) => setTimeout(listener, ms).unref())
  }
  try {
    watcher = watch(dirname(file), { persistent: false }, (_event, name) => {
      if (name === null || name === walName) onLogChange()
    })
    watcher.on('error', onError)
  } catch (err) {
    // Without a watcher the subscriber still polls; say so and carry on.
    onError(err as Error)
  }

  return () => {
    bell.off(file, listener)
    watcher?.close()
    for (const timer of rechecks) clearTimeout(timer)
  }
}
