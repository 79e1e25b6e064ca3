// Issue 17: the container image. No registry can be reached here and no Docker daemon runs, so
// deploy/build-image.sh builds the image with buildah from scratch (this machine's node, the built
// app, production dependencies only, Kannel for the kannel target); the test then runs mtsim
// inside it with `buildah run --isolation chroot`: --version, a short direct run that must pass
// its thresholds, and Kannel's bearerbox. Images live in a storage folder of the test's own
// (vfs driver), removed at the end. The Dockerfile itself is checked against the sources it must
// copy, since it cannot be built here.
//
// Needs buildah; skipped with the reason otherwise, except under CI=true.
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { execFile, execFileSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { promisify } from 'node:util'
import { REPO } from '../run/helpers.js'

const run = promisify(execFile)
const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version

function buildahMissing(): string | undefined {
  try {
    execFileSync('buildah', ['--version'], { stdio: 'pipe' })
  } catch {
    return 'buildah is not installed (apt-get install -y buildah)'
  }
  if (process.getuid?.() !== 0) return 'buildah run --isolation chroot needs root here'
  return undefined
}

const missing = buildahMissing()
const mustRun = process.env.CI === 'true'
if (missing && !mustRun) console.log(`skipping the container image test: ${missing}`)

describe('the Dockerfile', () => {
  const text = readFileSync(join(REPO, 'Dockerfile'), 'utf8')

  it('starts from the official Node 20 slim image, runs mtsim as the non-root node user, with a kannel target', () => {
    expect(text.match(/^FROM node:20-slim\b/gm)).toHaveLength(2)
    for (const target of ['kannel', 'mtsim']) {
      const stage = text.split(/^FROM /m).find((s) => new RegExp(`AS ${target}\\s`).test(s))!
      expect(stage, target).toMatch(/^USER node$/m)
      expect(stage, target).toContain('ENTRYPOINT ["node", "/app/dist/cli/main.js"]')
    }
    expect(text).toMatch(/apt-get install -y --no-install-recommends kannel/)
    // The last stage is what a plain `docker build .` makes: the one without Kannel.
    expect(text.trim().split(/^FROM /m).at(-1)).toMatch(/^runtime AS mtsim/)
  })

  it('copies every source folder the build compiles', () => {
    const tsconfig = JSON.parse(readFileSync(join(REPO, 'tsconfig.json'), 'utf8')) as { include: string[] }
    for (const dir of tsconfig.include) expect(text, `COPY ${dir}`).toContain(`COPY ${dir} ./${dir}`)
  })
})

describe.skipIf(missing !== undefined && !mustRun)('the image built with buildah (deploy/build-image.sh)', () => {
  let store = ''
  let work = ''
  const global: string[] = []
  const tag = `localhost/mtsim-test-${process.pid}:${version}`
  let container = ''
  const inImage = (argv: string[], extra: string[] = []) =>
    run('buildah', [...global, 'run', '--isolation', 'chroot', ...extra, container, '--', ...argv], { maxBuffer: 16 * 1024 * 1024 })

  beforeAll(async () => {
    store = mkdtempSync(join(tmpdir(), 'mtsim-image-'))
    work = mkdtempSync(join(tmpdir(), 'mtsim-image-work-'))
    global.push('--root', join(store, 'root'), '--runroot', join(store, 'run'), '--storage-driver', 'vfs')
    const built = await run(join(REPO, 'deploy/build-image.sh'), ['--tag', tag, '--kannel', '--no-build', ...global], { maxBuffer: 16 * 1024 * 1024 })
    expect(built.stdout.trim().split('\n').at(-1)).toBe(tag)
    container = (await run('buildah', [...global, 'from', tag])).stdout.trim()
  }, 300_000)

  afterAll(async () => {
    if (container) await run('buildah', [...global, 'rm', container]).catch(() => undefined)
    await run('buildah', [...global, 'rmi', '--all', '--force']).catch(() => undefined)
    if (store) rmSync(store, { recursive: true, force: true })
    if (work) rmSync(work, { recursive: true, force: true })
  })

  it('has mtsim as its entrypoint, user 1000, and answers --version', async () => {
    const config = JSON.parse((await run('buildah', [...global, 'inspect', '--type', 'image', tag])).stdout) as { OCIv1: { config: { Entrypoint: string[]; User: string } } }
    expect(config.OCIv1.config.Entrypoint).toEqual(['/usr/local/bin/node', '/app/dist/cli/main.js'])
    expect(config.OCIv1.config.User).toBe('1000:1000')
    const { stdout } = await inImage([...config.OCIv1.config.Entrypoint, '--version'])
    expect(stdout.trim()).toBe(version)
    const who = await inImage(['/usr/local/bin/node', '-e', 'const fs = require("fs"); console.log(process.getuid(), fs.existsSync("/app/node_modules/vitest"), fs.existsSync("/app/node_modules/fastify"))'])
    // Not root; production dependencies only.
    expect(who.stdout.trim()).toBe('1000 false true')
  }, 120_000)

  it('plays a short direct run inside the image and passes its thresholds', async () => {
    chmodSync(work, 0o777)
    writeFileSync(
      join(work, 'net.yaml'),
      'name: tiny\nseed: 1\noperators:\n  - { id: solo, mcc: "242", mnc: "01", prefixes: ["4790"], smpp: { port: 0, accounts: [{ system_id: solo, password: pw }] }, receipts: { delay: { distribution: fixed, value: 5ms } } }\n',
    )
    writeFileSync(
      join(work, 's.yaml'),
      'name: in-image\nseed: 3\nnetwork: net.yaml\ngateway: { kind: direct }\n' +
        'streams: [{ name: s, executor: constant-arrival-rate, rate: 50, duration: 1s, traffic: { destinations: [{ operator: solo }], msisdn_length: 10, templates: ["hi {{otp}}"] } }]\n' +
        'receipts: { wait: 2s }\nthresholds: { delivered: ["count==50"] }\n',
    )
    const r = await inImage(['/usr/local/bin/node', '/app/dist/cli/main.js', 'run', '/work/s.yaml', '--out', '/work/out', '--no-progress'], ['-v', `${work}:/work`])
    expect(r.stdout).toContain('thresholds: all 1 passed')
    const results = JSON.parse(readFileSync(join(work, 'out', 'results.json'), 'utf8')) as { totals: { planned: number; delivered: number } }
    expect(results.totals).toMatchObject({ planned: 50, delivered: 50 })
    expect(existsSync(join(work, 'out', 'report.html'))).toBe(true)
  }, 120_000)

  it('with --kannel, carries a bearerbox that starts (its libraries are all there)', async () => {
    const { stdout, stderr } = await inImage(['/usr/sbin/bearerbox', '--version'])
    expect(stdout + stderr).toContain('Kannel bearerbox version')
  }, 60_000)
})
