// Refuses a database that a newer pod-bridge has migrated. Running older code
// on it would write rows the newer schema does not expect (and kysely would
// only say "corrupted migrations"); pg-boss would run its older SQL against a
// newer queue schema. `migrate` and `start` both ask here first.
import { createRequire } from 'node:module'
import { sql } from 'kysely'
import { z } from 'zod'
import type { Db } from './db/database.ts'
import { knownMigrations, MIGRATION_TABLE } from './db/migrator.ts'
import { BOSS_SCHEMA } from './queue/boss.ts'
import { AppError } from './lib/errors.ts'

// pg-boss keeps the schema version its code expects in its package.json (it has no export for it).
const bossPackage = z.object({ version: z.string(), pgboss: z.object({ schema: z.number().int() }) })
  .parse(createRequire(import.meta.url)('pg-boss/package.json'))

const WHAT_TO_DO = 'run the pod-bridge version that migrated it (or newer), or restore the backup taken before the upgrade (README, "Backups and upgrades")'

/** Why this code must not touch the database, or undefined when it may. */
export async function newerDatabase (db: Db): Promise<string | undefined> {
  if (await tableExists(db, MIGRATION_TABLE)) {
    const applied = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)} order by name`.execute(db)
    const known = new Set(await knownMigrations())
    const unknown = applied.rows.map((row) => row.name).filter((name) => !known.has(name))
    if (unknown.length > 0) return `the database was migrated by a newer pod-bridge: migration ${unknown.map((name) => `"${name}"`).join(', ')} is not known to this version`
  }
  if (await tableExists(db, `${BOSS_SCHEMA}.version`)) {
    const row = await sql<{ version: string }>`select version::text as version from ${sql.table(`${BOSS_SCHEMA}.version`)}`.execute(db)
    const version = Number(row.rows[0]?.version)
    if (version > bossPackage.pgboss.schema) return `the job queue schema (${BOSS_SCHEMA}) is at version ${version}, newer than the ${bossPackage.pgboss.schema} of this pod-bridge's pg-boss ${bossPackage.version}`
  }
  return undefined
}

export async function refuseNewerDatabase (db: Db): Promise<void> {
  const reason = await newerDatabase(db)
  if (reason) throw new AppError('config', `${reason}: ${WHAT_TO_DO}`)
}

async function tableExists (db: Db, name: string): Promise<boolean> {
  const result = await sql<{ found: string | null }>`select to_regclass(${name})::text as found`.execute(db)
  return Boolean(result.rows[0]?.found)
}
