// After a SIGKILL of pod-bridge, its embedded postmaster (in its own process
// group) keeps running and keeps DATA_DIR locked. postmaster.pid names it; we
// stop it cleanly so the new server can start on the same data.
import fs from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import path from 'node:path'

const WAIT_MS = 20_000

function alive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Whether `pid` is a live process whose command line mentions `name` (guards against pid reuse). */
export function isProcess (pid: number, name: string): boolean {
  if (!alive(pid)) return false
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(name)
  } catch {
    return false
  }
}

/** The postmaster that holds `clusterDir`, if one is running. */
export async function runningPostmaster (clusterDir: string): Promise<number | undefined> {
  const text = await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => undefined)
  const pid = Number(text?.split('\n')[0])
  // A stale file whose pid now belongs to another program is left to Postgres,
  // which detects that case itself.
  return Number.isInteger(pid) && pid > 0 && isProcess(pid, 'postgres') ? pid : undefined
}

/** Stops the postmaster of `clusterDir` (fast shutdown, then immediate) and waits for it to exit. */
export async function stopPostmaster (clusterDir: string): Promise<number | undefined> {
  const pid = await runningPostmaster(clusterDir)
  if (pid === undefined) return undefined
  process.kill(pid, 'SIGINT')
  const deadline = Date.now() + WAIT_MS
  let escalated = false
  while (alive(pid)) {
    if (!escalated && Date.now() > deadline) {
      process.kill(pid, 'SIGQUIT')
      escalated = true
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return pid
}

export async function stopOrphanPostmaster (clusterDir: string, log: (message: string) => void): Promise<void> {
  const pid = await stopPostmaster(clusterDir)
  if (pid !== undefined) log(`stopped an embedded Postgres (pid ${pid}) left running by an earlier pod-bridge that did not shut down`)
}
