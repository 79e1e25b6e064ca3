// Issue 17: `mtsim k8s` writes objects the Kubernetes API accepts (each validated against the
// OpenAPI schema by kubernetes-models, as kubectl's client-side validation would), whose pieces fit
// together: the Indexed Job's shares find the coordinator's Service, the network's Services expose
// every operator's port, the ConfigMap's files load as a valid scenario whose operators live at
// those Services.
import { describe, it, expect } from 'vitest'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { parseAllDocuments } from 'yaml'
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap'
import { Service } from 'kubernetes-models/v1/Service'
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim'
import { Deployment } from 'kubernetes-models/apps/v1/Deployment'
import { Job } from 'kubernetes-models/batch/v1/Job'
import { k8sManifests, objectName, type K8sObject } from '../../deploy/k8s/manifests.js'
import { loadScenario } from '../../loadgen/scenario/scenario.js'
import { REPO } from '../run/helpers.js'

const models = { ConfigMap, Service, PersistentVolumeClaim, Deployment, Job } as const

/** Validates one object as the API would (throws with the schema's complaint). */
function validate(obj: K8sObject): void {
  const Model = models[obj.kind as keyof typeof models]
  expect(Model, `no model for kind ${obj.kind}`).toBeDefined()
  new (Model as unknown as new (o: unknown) => { validate(): void })(obj).validate()
}

const of = <K extends K8sObject['kind']>(objs: K8sObject[], kind: K) => objs.filter((o) => o.kind === kind) as Extract<K8sObject, { kind: K }>[]

function filesOf(objs: K8sObject[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'mtsim-k8s-'))
  const data = of(objs, 'ConfigMap')[0]!.data!
  for (const [name, text] of Object.entries(data)) writeFileSync(join(dir, name), text)
  return dir
}

describe('mtsim k8s manifests', () => {
  const direct = k8sManifests({ scenarioFile: join(REPO, 'scenarios/quickstart.yaml'), shares: 4, image: 'registry.example/mtsim:1', networkPods: 2, separate: true, pvc: { size: '1Gi', storageClass: 'fast' }, cpu: '1', memory: '512Mi' })

  it('every object passes the Kubernetes OpenAPI schema, in the YAML written as in memory', () => {
    for (const obj of direct.objects) validate(obj)
    const docs = parseAllDocuments(direct.yaml).map((d) => d.toJS() as K8sObject)
    expect(docs).toEqual(direct.objects)
    for (const obj of docs) validate(obj)
    expect(direct.objects.map((o) => `${o.kind}/${o.metadata!.name}`)).toEqual([
      'ConfigMap/quickstart-files',
      'Deployment/quickstart-network-1', 'Service/quickstart-network-1',
      'Deployment/quickstart-network-2', 'Service/quickstart-network-2',
      'PersistentVolumeClaim/quickstart-results',
      'Job/quickstart-coordinator', 'Service/quickstart-coordinator',
      'Job/quickstart-shares',
    ])
  })

  it('the schema check is real: a wrong type or value is refused', () => {
    const job = structuredClone(of(direct.objects, 'Job').find((j) => j.metadata!.name === 'quickstart-shares')!)
    ;(job.spec as { parallelism: unknown }).parallelism = 'four'
    expect(() => validate(job)).toThrow(/parallelism/)
    const bad = structuredClone(job)
    ;(bad.spec as { completionMode: unknown }).completionMode = 'Sorted'
    expect(() => validate(bad)).toThrow(/completionMode/)
  })

  it('shares: an Indexed Job of N with auto/N segments, reporting to the coordinator Service, no retries, spread over nodes', () => {
    const shares = of(direct.objects, 'Job').find((j) => j.metadata!.name === 'quickstart-shares')!
    expect(shares.spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 4, backoffLimit: 0 })
    const pod = shares.spec!.template.spec!
    const args = pod.containers[0]!.args!
    expect(args.slice(0, 2)).toEqual(['run', '/etc/mtsim/scenario.yaml'])
    expect(args).toEqual(expect.arrayContaining(['--segment', 'auto/4', '--remote-network']))
    const coordinatorUrl = args[args.indexOf('--coordinator') + 1]!
    const svc = of(direct.objects, 'Service').find((s) => s.metadata!.name === 'quickstart-coordinator')!
    expect(coordinatorUrl).toBe(`http://${svc.metadata!.name}:${svc.spec!.ports![0]!.port}`)
    // The coordinator's Service selects the coordinator Job's pod, whose server listens on that port.
    const coord = of(direct.objects, 'Job').find((j) => j.metadata!.name === 'quickstart-coordinator')!
    expect(coord.spec!.template.metadata!.labels).toMatchObject(svc.spec!.selector!)
    expect(coord.spec!.template.spec!.containers[0]!.args).toEqual(expect.arrayContaining(['coordinate', '--shares', '4', '--port', String(svc.spec!.ports![0]!.port)]))
    expect(coord.spec!.template.spec!.volumes).toContainEqual({ name: 'results', persistentVolumeClaim: { claimName: 'quickstart-results' } })
    expect(pod.affinity!.podAntiAffinity!.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(1)
    expect(pod.containers[0]!.resources).toEqual({ requests: { cpu: '1', memory: '512Mi' }, limits: { cpu: '1', memory: '512Mi' } })
    expect(pod.securityContext!.runAsNonRoot).toBe(true)
  })

  it('the ConfigMap holds a valid scenario whose operators are at the network Services\' ports, each served by one pod', () => {
    const dir = filesOf(direct.objects)
    const scenario = loadScenario(join(dir, 'scenario.yaml'))
    const services = of(direct.objects, 'Service')
    const deployments = of(direct.objects, 'Deployment')
    const served = new Map<string, string[]>()
    for (const op of scenario.network.operators) {
      const svc = services.find((s) => s.metadata!.name === op.host)!
      expect(svc, `operator ${op.id} at ${op.host}`).toBeDefined()
      expect(svc.spec!.ports!.map((p) => p.port)).toContain(op.port)
      const dep = deployments.find((d) => d.metadata!.name === op.host)!
      const args = dep.spec!.template.spec!.containers[0]!.args!
      expect(args).toEqual(expect.arrayContaining(['simulate', '/etc/mtsim/network.yaml', '--listen-host', '0.0.0.0', '--shares', '4']))
      const ids = args[args.indexOf('--operators') + 1]!.split(',')
      expect(ids).toContain(op.id)
      served.set(op.host, ids)
      expect(dep.spec!.selector.matchLabels).toEqual(svc.spec!.selector)
    }
    // Each operator in exactly one pod.
    expect([...served.values()].flat().sort()).toEqual(scenario.network.operators.map((o) => o.id).sort())
    // The user's comments are still there.
    expect(readFileSync(join(dir, 'scenario.yaml'), 'utf8')).toContain('# How messages reach the operators.')
  })

  it('a gateway: kannel scenario gets a Kannel gateway Deployment, and its shares send to it with their pod IP in the dlr-url', () => {
    const run = k8sManifests({ scenarioFile: join(REPO, 'scenarios/kannel-smoke.yaml'), shares: 3, image: 'r/mtsim:1', networkPods: 1, separate: false })
    for (const obj of run.objects) validate(obj)
    const gw = of(run.objects, 'Deployment')[0]!
    expect(gw.metadata!.name).toBe('kannel-smoke-gateway')
    expect(gw.spec!.template.spec!.containers[0]!.image).toBe('r/mtsim:1-kannel')
    expect(gw.spec!.template.spec!.containers[0]!.args!.slice(0, 2)).toEqual(['gateway', 'kannel'])
    const scenario = loadScenario(join(filesOf(run.objects), 'scenario.yaml'))
    expect(scenario.gateway).toMatchObject({ kind: 'http', preset: 'kannel', url: 'http://kannel-smoke-gateway:13013/cgi-bin/sendsms' })
    const share = of(run.objects, 'Job').find((j) => j.metadata!.name === 'kannel-smoke-shares')!.spec!.template.spec!.containers[0]!
    expect(share.args).toEqual(expect.arrayContaining(['--webhook-host', '$(POD_IP)']))
    expect(share.env).toEqual([{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }])
  })

  it('refuses what cannot work, saying why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtsim-k8s-'))
    writeFileSync(join(dir, 'net.yaml'), readFileSync(join(REPO, 'scenarios/networks/small.yaml')))
    writeFileSync(
      join(dir, 's.yaml'),
      'name: via-smpp\nseed: 1\nnetwork: net.yaml\ngateway: { kind: smpp, port: 2775, system_id: gw, password: pw }\n' +
        'streams: [{ name: a, executor: constant-arrival-rate, rate: 1, duration: 1s, traffic: { destinations: [{ range: "4790000000-4790000100" }] } }]\n',
    )
    expect(() => k8sManifests({ scenarioFile: join(dir, 's.yaml'), shares: 2, image: 'i', networkPods: 1, separate: false })).toThrow('an SMPP gateway sends each receipt on any bind of the account')
    expect(() => objectName('!!!')).toThrow('--name: expected a name with letters')
    expect(objectName('Peak Day / 2026')).toBe('peak-day-2026')
  })
})
