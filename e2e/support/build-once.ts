import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'

/**
 * The end-to-end tests run the compiled services, as `pnpm start` and the
 * containers do. tsc -b is incremental, so after `pnpm build` this is quick.
 */
export default function buildOnce(): void {
  const root = resolve(import.meta.dirname, '../..')
  execFileSync(
    process.execPath,
    [
      resolve(root, 'node_modules/typescript/bin/tsc'),
      '-b',
      'packages/shared',
      'packages/api',
      'packages/worker',
    ],
    { cwd: root, stdio: 'inherit' },
  )
}
