#!/usr/bin/env node
// Runs the API and the worker as two processes, the way production runs two
// containers. `--dev` runs them from source with watch mode and pretty logs.
// Ctrl-C (or SIGTERM) reaches both; when one exits, the other is stopped.
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(fileURLToPath(import.meta.url), '../..')
const dev = process.argv.includes('--dev')

const env = {
  ...process.env,
  DATA_DIR: resolve(root, process.env.DATA_DIR ?? 'data'),
  ...(dev && { LOG_PRETTY: process.env.LOG_PRETTY ?? 'true' }),
}

const args = dev
  ? ['--conditions=source', '--import', 'tsx', '--watch', 'src/main.ts']
  : ['dist/main.js']

const children = ['api', 'worker'].map((name) => {
  const child = spawn(process.execPath, args, {
    cwd: resolve(root, 'packages', name),
    env,
    stdio: 'inherit',
    // Own process group: a terminal's Ctrl-C reaches the children once,
    // through stopAll, not twice (a second signal forces their exit).
    detached: true,
  })
  child.on('exit', (code, signal) => onExit(name, code, signal))
  return child
})

let exiting = false
let exitCode = 0

function onExit(name, code, signal) {
  if (!exiting) {
    console.error(`${name} exited (${signal ?? code}); stopping the rest`)
    exitCode = code ?? 1
    stopAll('SIGTERM')
  }
  if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) {
    process.exit(exitCode)
  }
}

function stopAll(signal) {
  exiting = true
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => stopAll(signal))
}
