// Applies migrations/ (kysely, timestamp-named), then pg-boss's schema and every
// queue of the registry: `pod-bridge migrate` and `start --migrate` run this;
// a plain `start` only checks it was done.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { FileMigrationProvider, Migrator } from 'kysely/migration'
import type { Db } from './database.ts'

export const migrationFolder = fileURLToPath(new URL('../../migrations', import.meta.url))
export const MIGRATION_TABLE = 'pod_bridge_migrations'

const provider = new FileMigrationProvider({ fs, path, migrationFolder })

function migrator (db: Db): Migrator {
  return new Migrator({
    db,
    provider,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: 'pod_bridge_migrations_lock'
  })
}

export interface MigrationReport { readonly applied: string[] }

export async function migrateToLatest (db: Db): Promise<MigrationReport> {
  const { error, results } = await migrator(db).migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(`migration failed: ${JSON.stringify(error)}`)
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) }
}

/** Names of migrations in the folder that the database has not applied; empty when up to date. */
export async function pendingMigrations (db: Db): Promise<string[]> {
  const migrations = await migrator(db).getMigrations()
  return migrations.filter((m) => !m.executedAt).map((m) => m.name)
}

/** The names of the migrations this version ships. */
export async function knownMigrations (): Promise<string[]> {
  return Object.keys(await provider.getMigrations())
}

export async function databaseReachable (db: Db): Promise<void> {
  await sql`select 1`.execute(db)
}
