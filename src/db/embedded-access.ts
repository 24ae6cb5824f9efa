// Postgres refuses to run as root. When pod-bridge runs as root (CI, many
// containers) the embedded server runs as an unprivileged user instead, and
// that user must be able to reach both the binaries and the data folder. This
// file answers "who runs the server, and can it get there?".
import { createHash } from 'node:crypto'
import { constants as fsConstants } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'

export interface RunAs {
  readonly name: string
  readonly uid: number
  readonly gid: number
}

/** The unprivileged user the server runs as when we are root: `postgres` where it exists, else `nobody`. */
export async function unprivilegedUser (): Promise<RunAs> {
  const passwd = await fs.readFile('/etc/passwd', 'utf8').catch(() => '')
  const users = new Map<string, RunAs>()
  for (const line of passwd.split('\n')) {
    const [name, , uid, gid] = line.split(':')
    if (name && uid && gid) users.set(name, { name, uid: Number(uid), gid: Number(gid) })
  }
  return users.get('postgres') ?? users.get('nobody') ?? { name: 'nobody', uid: 65534, gid: 65534 }
}

/** Whether `user` may use (`x`, or `r`+`x` for `readable`) one file system entry, from its mode bits. */
function allowed (stat: { mode: number, uid: number, gid: number }, user: RunAs, bits: number): boolean {
  const mode = stat.uid === user.uid ? (stat.mode >> 6) : stat.gid === user.gid ? (stat.mode >> 3) : stat.mode
  return (mode & bits) === bits
}

/**
 * The first folder on the way to `target` that `user` cannot pass through, or
 * undefined when every ancestor can be traversed. Missing folders count as
 * passable: we create them ourselves.
 */
export async function firstBlockedAncestor (target: string, user: RunAs): Promise<string | undefined> {
  const absolute = path.resolve(target)
  const parts = absolute.split(path.sep).filter(Boolean)
  let current: string = path.sep
  for (const part of ['', ...parts.slice(0, -1)]) {
    current = path.join(current, part)
    const stat = await fs.stat(current).catch(() => undefined)
    if (!stat) return undefined
    if (!allowed(stat, user, fsConstants.S_IXOTH)) return current
  }
  return undefined
}

/** Whether `user` can execute the file at `file` (every ancestor traversable, the file itself executable). */
export async function canExecute (file: string, user: RunAs): Promise<boolean> {
  if (await firstBlockedAncestor(file, user)) return false
  const stat = await fs.stat(file).catch(() => undefined)
  return stat !== undefined && allowed(stat, user, fsConstants.S_IROTH | fsConstants.S_IXOTH)
}

/** Where a root start keeps the data when the default `./.data` is closed to the server's user. */
export const ROOT_DATA_HOME = '/var/lib/pod-bridge'

/**
 * The data folder a root start uses when DATA_DIR was not set: `dataDir` when
 * the server's user can reach it, else a folder of `ROOT_DATA_HOME` owned by
 * that user and named for the project (its folder name and a hash of its path),
 * so every start of one checkout finds the same data, and two checkouts never
 * share one. A project under /root is the usual case: root's home is closed to
 * everyone else, and opening it up is not ours to do.
 */
export async function ownDataDir (dataDir: string, user: RunAs, log: (message: string) => void): Promise<string> {
  const blocked = await firstBlockedAncestor(path.join(dataDir, 'postgres'), user)
  if (!blocked || blocked === dataDir) return dataDir
  const project = path.dirname(dataDir)
  const name = `${path.basename(project).replace(/[^\w.-]/g, '_') || 'root'}-${createHash('sha256').update(project).digest('hex').slice(0, 10)}`
  const own = path.join(ROOT_DATA_HOME, name)
  await fs.mkdir(ROOT_DATA_HOME, { recursive: true, mode: 0o755 })
  await fs.mkdir(own, { recursive: true, mode: 0o700 })
  await fs.chown(own, user.uid, user.gid)
  log(`DATA_DIR is not set and the "${user.name}" user that runs the embedded Postgres cannot reach ${dataDir} (${blocked} is closed to it): the data lives in ${own}, the same folder on every start of this project (set DATA_DIR to choose another)`)
  return own
}
