// Writes the JSON Schemas of mtsim's file formats to scenarios/schema/, from the same TypeBox
// schemas the loader validates with, so editors (yaml-language-server) complete and check YAML
// exactly as mtsim does. `--check` writes nothing and exits 1 when a committed file is stale
// (npm run build runs it, so a schema change without `npm run schema` fails the build).
//
//   node dist/scenarios/export-schema.js [--check] [--out DIR]
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { TSchema } from '@sinclair/typebox'
import { writeFileAtomic } from '../lib/atomic-write.js'
import { bug } from '../lib/errors.js'
import { NetworkSchema } from '../simulator/network-schema.js'
import { ScenarioSchema } from '../loadgen/scenario/scenario-schema.js'

export interface SchemaFile {
  /** The file name inside the schema folder. */
  name: string
  text: string
}

function render(schema: TSchema, id: string): string {
  // TypeBox keeps its bookkeeping under symbol keys, which JSON.stringify leaves out.
  return JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', $id: id, ...schema }, null, 2) + '\n'
}

export async function renderSchemas(): Promise<SchemaFile[]> {
  return [
    { name: 'network.schema.json', text: render(NetworkSchema, 'network.schema.json') },
    { name: 'scenario.schema.json', text: render(ScenarioSchema, 'scenario.schema.json') },
  ]
}

/** The repository root: the nearest folder above this module with a package.json (src or dist). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir)
    if (up === dir) bug('export-schema: no package.json above ' + fileURLToPath(import.meta.url))
    dir = up
  }
  return dir
}

export function defaultSchemaDir(): string {
  return join(repoRoot(), 'scenarios', 'schema')
}

/** Files in `dir` that are missing or differ from what the schemas produce now. */
export async function staleSchemas(dir = defaultSchemaDir()): Promise<string[]> {
  const stale: string[] = []
  for (const f of await renderSchemas()) {
    const path = join(dir, f.name)
    if (!existsSync(path) || readFileSync(path, 'utf8') !== f.text) stale.push(path)
  }
  return stale
}

export async function writeSchemas(dir = defaultSchemaDir()): Promise<string[]> {
  const written: string[] = []
  for (const f of await renderSchemas()) {
    const path = join(dir, f.name)
    writeFileAtomic(path, f.text)
    written.push(path)
  }
  return written
}

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check')
  const outAt = argv.indexOf('--out')
  const dir = outAt >= 0 && argv[outAt + 1] ? argv[outAt + 1] : defaultSchemaDir()
  const show = (p: string) => relative(process.cwd(), p) || p
  if (check) {
    const stale = await staleSchemas(dir)
    for (const p of stale) process.stderr.write(`${show(p)} is out of date with the schema in the code: run npm run schema\n`)
    return stale.length ? 1 : 0
  }
  for (const p of await writeSchemas(dir)) process.stdout.write(`wrote ${show(p)}\n`)
  return 0
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2))
}
