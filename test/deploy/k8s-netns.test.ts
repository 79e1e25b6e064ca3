// Issue 17: the objects `mtsim k8s` writes, run as a cluster would run them, with network
// namespaces for pods. No cluster is at hand, so this plays the kubelet's part for these objects:
// one pod per Deployment replica, one for the coordinator Job, one per index of the Indexed Job
// (JOB_COMPLETION_INDEX set), each in its own namespace with its own address; Service names
// resolve to their pods' addresses (a hosts file per pod, as cluster DNS would); each container's
// args run as written after the entrypoint (the ConfigMap's files at their mount path, $(VAR)
// expanded from the container's env as Kubernetes does). Everything starts at once, in no order,
// as `kubectl apply` would have it. The coordinator's exit code must be the run's verdict.
//
// Needs root and iproute2; skipped with the reason otherwise, except under CI=true.
import { describe, it, expect, afterAll } from 'vitest'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { CLI } from '../run/helpers.js'
import { finished, makeHosts, netnsUnavailable, type Host, type Hosts } from './netns.js'
import { k8sManifests, type K8sObject } from '../../deploy/k8s/manifests.js'
import type { IIoK8sApiCoreV1PodSpec as PodSpec } from 'kubernetes-models/v1/PodSpec'
import type { IService } from 'kubernetes-models/v1/Service'
import { books, load, network, streams, workdir } from './split-fixtures.js'
import { ExitCode } from '../../lib/errors.js'

const SHARES = 3
const unavailable = netnsUnavailable()
const mustRun = process.env.CI === 'true'
if (unavailable && !mustRun) console.log(`skipping the Kubernetes objects test in namespaces: ${unavailable}`)

interface Pod {
  name: string
  spec: PodSpec
  labels: Record<string, string>
  env: Record<string, string>
  host?: Host
}

/** The pods these objects make: Deployment replicas, a Job's pod, an Indexed Job's one per index. */
function podsOf(objects: K8sObject[]): Pod[] {
  const pods: Pod[] = []
  for (const o of objects) {
    if (o.kind === 'Deployment') {
      for (let r = 0; r < (o.spec!.replicas ?? 1); r++) pods.push({ name: `${o.metadata!.name}-${r}`, spec: o.spec!.template.spec!, labels: o.spec!.template.metadata!.labels!, env: {} })
    } else if (o.kind === 'Job') {
      const s = o.spec!
      const n = s.completionMode === 'Indexed' ? s.completions! : 1
      expect(s.parallelism ?? 1).toBe(n)
      for (let i = 0; i < n; i++) {
        const env: Record<string, string> = s.completionMode === 'Indexed' ? { JOB_COMPLETION_INDEX: String(i) } : {}
        pods.push({ name: `${o.metadata!.name}-${i}`, spec: s.template.spec!, labels: s.template.metadata!.labels!, env })
      }
    }
  }
  return pods
}

const matches = (labels: Record<string, string>, selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v)

describe.skipIf(unavailable !== undefined && !mustRun)('mtsim k8s objects, run with namespaces for pods', () => {
  let hosts: Hosts | undefined
  afterAll(async () => {
    await hosts?.destroy()
  })

  it('network pods, the coordinator and an Indexed Job of 3 shares find each other by Service name; the coordinator\'s exit code is the verdict', async () => {
    const dir = workdir('k8s-netns')
    // The user's files: operators on port 0 (mtsim k8s gives them fixed ports), hosts as written for one machine.
    const net = network('127.0.0.1') as { operators: { smpp: Record<string, unknown> }[] }
    for (const op of net.operators) op.smpp.port = 0
    writeFileSync(join(dir, 'net.yaml'), stringify(net))
    writeFileSync(
      join(dir, 'scenario.yaml'),
      stringify({
        name: 'Cluster Run',
        seed: 31,
        network: 'net.yaml',
        // Generous limits: the books must not depend on how busy the machine is (see split-netns).
        gateway: { kind: 'direct', window: 500, response_timeout: '20s' },
        streams: streams(300, 2),
        receipts: { wait: '30s' },
        scheduling: { max_lag: '10s' },
        thresholds: { sent: ['count==600'], missing: ['count==0'] },
      }),
    )
    const run = k8sManifests({ scenarioFile: join(dir, 'scenario.yaml'), shares: SHARES, image: 'mtsim:test', networkPods: 2, separate: false })
    const pods = podsOf(run.objects)
    expect(pods.map((p) => p.name)).toEqual([
      'cluster-run-network-1-0', 'cluster-run-network-2-0', 'cluster-run-coordinator-0', 'cluster-run-shares-0', 'cluster-run-shares-1', 'cluster-run-shares-2',
    ])
    hosts = makeHosts(pods.length)
    pods.forEach((p, i) => (p.host = hosts!.loads[i]))

    // Cluster DNS: each Service name -> the address of the one pod it selects, on the same port as the container's.
    const names: Record<string, string> = {}
    for (const svc of run.objects.filter((o): o is IService => o.kind === 'Service')) {
      const selected = pods.filter((p) => matches(p.labels, svc.spec!.selector!))
      expect(selected, svc.metadata!.name).toHaveLength(1)
      const containerPorts = selected[0]!.spec.containers.flatMap((c) => c.ports ?? [])
      for (const port of svc.spec!.ports!) expect(containerPorts.find((c) => c.name === port.targetPort)?.containerPort, `${svc.metadata!.name}:${port.port}`).toBe(port.port)
      names[svc.metadata!.name!] = selected[0]!.host!.addr
    }
    for (const p of pods) hosts.setHostsFile(p.host!, names)

    // Volumes: the ConfigMap's files at their mount path; every other volume a folder of its own.
    const configMap = run.objects.find((o) => o.kind === 'ConfigMap')!
    const confDir = join(dir, 'configmap')
    mkdirSync(confDir)
    for (const [file, text] of Object.entries(configMap.data!)) writeFileSync(join(confDir, file), text)

    const started = pods.map((p) => {
      const c = p.spec.containers[0]!
      const mounts: [string, string][] = (c.volumeMounts ?? []).map((m) => {
        const vol = p.spec.volumes!.find((v) => v.name === m.name)!
        const local = vol.configMap ? confDir : join(dir, 'volumes', p.name, m.name)
        mkdirSync(local, { recursive: true })
        return [m.mountPath, local]
      })
      const env: Record<string, string> = { ...p.env }
      for (const e of c.env ?? []) env[e.name] = e.valueFrom?.fieldRef?.fieldPath === 'status.podIP' ? p.host!.addr : (e.value ?? '')
      const args = c.args!.map((a) => {
        let out = a.replace(/\$\(([A-Z_][A-Z0-9_]*)\)/g, (_m, v: string) => env[v] ?? `$(${v})`)
        for (const [path, local] of mounts) if (out === path || out.startsWith(`${path}/`)) out = local + out.slice(path.length)
        return out
      })
      const child = hosts!.spawnIn(p.host!, [process.execPath, CLI, ...args], { cwd: dir, env })
      return { pod: p, child, done: finished(child) }
    })

    const byName = (prefix: string) => started.filter((s) => s.pod.name.startsWith(prefix))
    const coordinator = await byName('cluster-run-coordinator')[0]!.done
    expect(coordinator.code, coordinator.stdout + coordinator.stderr).toBe(ExitCode.ok)
    expect(coordinator.stdout).toContain('every share checked in; start at')
    expect(coordinator.stdout).toContain('thresholds: all 2 passed')
    console.log(`k8s objects in namespaces: ${/start: first sends went out .*/.exec(coordinator.stdout)?.[0]}`)

    for (const s of byName('cluster-run-shares')) {
      const r = await s.done
      // A share's pod succeeds although its own third of the run fails `sent == 600`: the coordinator judges.
      expect(r.code, r.stderr).toBe(0)
      expect(r.stderr).toContain(`share ${Number(s.pod.env.JOB_COMPLETION_INDEX) + 1} of ${SHARES}`)
      expect(r.stderr).toContain('results of share')
    }
    const resultsDir = join(dir, 'volumes', 'cluster-run-coordinator-0', 'results')
    const merged = load(join(resultsDir, 'merged', 'results.json'))
    expect(merged.totals).toMatchObject({ planned: 600, sent: 600, dropped: 0, missing: 0, unknown_receipts: 0 })
    const shares = [1, 2, 3].map((i) => load(join(resultsDir, `share-${i}`, 'results.json')))
    expect(shares.map((s) => s.meta.segment)).toEqual([0, 1, 2].map((index) => ({ index, count: SHARES })))
    expect(merged.meta.scenario).toEqual(shares[0]!.meta.scenario)
    // Both network pods served their operators (each answered submits).
    expect(Object.keys(books(merged).operators).sort()).toEqual(['mixed', 'plain'])
    for (const op of Object.values(merged.operators)) expect(op.totals.accepted).toBeGreaterThan(0)
    expect(readFileSync(join(resultsDir, 'merged', 'summary.md'), 'utf8')).toContain('sent')

    // The network pods started their fault timelines at the run's start, not at their own.
    const runStart = Date.parse(/every share checked in; start at (\S+)/.exec(coordinator.stdout)![1]!)
    for (const s of byName('cluster-run-network')) s.child.kill('SIGINT')
    for (const s of byName('cluster-run-network')) {
      const r = await s.done
      expect(r.code).toBe(0)
      const at = /timeline: fault timelines started at the shared start (\S+)/.exec(r.stdout)
      expect(at, r.stdout).not.toBeNull()
      expect(Math.abs(Date.parse(at![1]!) - runStart)).toBeLessThan(50)
    }
  }, 300_000)
})
