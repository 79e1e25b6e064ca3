// The committed JSON Schemas match the code, and they accept and reject what mtsim's loader does.
import { describe, it, expect } from 'vitest'
import { mkdtempSync, readFileSync, writeFileSync, unlinkSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { parse } from 'yaml'
import { defaultSchemaDir, renderSchemas, staleSchemas, writeSchemas } from '../../scenarios/export-schema.js'

const ROOT = join(import.meta.dirname, '../..')

describe('scenarios/export-schema', () => {
  it('finds the committed schema folder', () => {
    expect(defaultSchemaDir()).toBe(join(ROOT, 'scenarios', 'schema'))
  })

  it('--check passes on the committed files (run npm run schema after changing a schema)', async () => {
    expect(await staleSchemas()).toEqual([])
  })

  it('writes every schema and then finds none stale; an edited or missing file is stale', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtsim-schema-'))
    const written = await writeSchemas(dir)
    expect(written).toContain(join(dir, 'network.schema.json'))
    expect(readdirSync(dir).sort()).toEqual(written.map((p) => p.slice(dir.length + 1)).sort())
    expect(await staleSchemas(dir)).toEqual([])
    writeFileSync(join(dir, 'network.schema.json'), '{}\n')
    expect(await staleSchemas(dir)).toEqual([join(dir, 'network.schema.json')])
    unlinkSync(join(dir, 'network.schema.json'))
    expect(await staleSchemas(dir)).toEqual([join(dir, 'network.schema.json')])
  })

  it('exports plain JSON Schema that a fresh validator uses to accept the examples and reject unknown keys', async () => {
    const files = await renderSchemas()
    const network = JSON.parse(files.find((f) => f.name === 'network.schema.json')!.text) as Record<string, unknown>
    expect(network.$schema).toBe('http://json-schema.org/draft-07/schema#')
    expect(network.title).toBe('mtsim network')
    const validate = new Ajv({ strict: false, discriminator: true, allErrors: true }).compile(network)
    for (const f of ['small.yaml', 'national.yaml']) {
      const value = parse(readFileSync(join(ROOT, 'scenarios/networks', f), 'utf8')) as unknown
      expect(validate(value), `${f}: ${JSON.stringify(validate.errors)}`).toBe(true)
    }
    expect(validate({ operators: [], colour: 'red' })).toBe(false)
    expect(validate.errors?.map((e) => e.keyword).sort()).toEqual(['additionalProperties', 'minItems'])
  })
})
