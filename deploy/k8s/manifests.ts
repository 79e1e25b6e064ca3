// `mtsim k8s`: the Kubernetes objects of one split run, built from the scenario. The cluster's
// own primitives do the distributing (as k6-operator's TestRun does, without an operator to
// install): an Indexed Job runs the N shares, each pod playing share JOB_COMPLETION_INDEX + 1
// (`--segment auto/N`); a coordinator Job holds them at its barrier until all N are bound, collects
// their results and runs the one merged verdict, whose exit code is the Job's; the simulated
// network runs as Deployments with Services (operators spread over `networkPods` of them), or,
// for a `gateway: kannel` scenario, inside a Kannel gateway Deployment.
//
// Objects are typed with kubernetes-models' interfaces (a misspelt field does not compile) and
// validated against the Kubernetes OpenAPI schema in the tests.
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap'
import type { IService } from 'kubernetes-models/v1/Service'
import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim'
import type { IIoK8sApiCoreV1Container as Container } from 'kubernetes-models/v1/Container'
import type { IIoK8sApiCoreV1PodSpec as PodSpec } from 'kubernetes-models/v1/PodSpec'
import type { IIoK8sApiCoreV1Volume as Volume } from 'kubernetes-models/v1/Volume'
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment'
import type { IJob } from 'kubernetes-models/batch/v1/Job'
import { stringify } from 'yaml'
import { MtsimError } from '../../lib/errors.js'
import { loadScenario } from '../../loadgen/scenario/scenario.js'
import { buildPlan } from '../../loadgen/plan/plan.js'
import { KANNEL_SENDSMS_PORT, shareFiles, type Placement } from './files.js'

export type K8sObject = IConfigMap | IService | IPersistentVolumeClaim | IDeployment | IJob

export interface K8sOptions {
  scenarioFile: string
  shares: number
  image: string
  /** The image with Kannel (the Dockerfile's `kannel` target), for gateway: kannel scenarios. */
  kannelImage?: string
  /** Prefix of every object's name (default: from the scenario's name). */
  name?: string
  namespace?: string
  /** Keep the shares' results and the merged report on a PersistentVolumeClaim (otherwise an emptyDir: the verdict and summary are in the coordinator's log). */
  pvc?: { storageClass?: string; size: string }
  /** Deployments the operators are spread over (round-robin); at most one per operator. */
  networkPods: number
  /** Never two shares on one node (required anti-affinity) instead of preferably not. */
  separate: boolean
  /** Requests (and limits) for each share's container, like "1" and "512Mi". */
  cpu?: string
  memory?: string
}

export interface K8sRun {
  objects: K8sObject[]
  /** Every object, as one multi-document YAML. */
  yaml: string
  name: string
  /** The shell commands that run it and get its verdict. */
  commands: string[]
}

const CONFIG_DIR = '/etc/mtsim'
const COORDINATOR_PORT = 8080
const CONTROL_PORT = 8900
/** A ConfigMap holds at most 1 MiB. */
const CONFIGMAP_LIMIT = 1024 * 1024

export function k8sManifests(o: K8sOptions): K8sRun {
  const scenario = loadScenario(o.scenarioFile)
  const fail = (what: string) => new MtsimError('MTSIM_ERR_K8S', [what])
  if (!Number.isInteger(o.shares) || o.shares < 1) throw fail(`--shares: expected a whole number of 1 or more, found ${o.shares}`)
  const name = objectName(o.name ?? scenario.name)
  const g = scenario.gateway
  if (g.kind === 'smpp' && o.shares > 1) {
    throw fail(
      `gateway kind smpp: an SMPP gateway sends each receipt on any bind of the account, so ${o.shares} shares binding with one account would get each other's receipts; split an http or direct scenario, or use --shares 1`,
    )
  }
  if (g.kind === 'http' && g.webhook.port !== 0) throw fail(`gateway.webhook.port is fixed at ${g.webhook.port}; set it to 0 (each share's pod listens on a free port and names it in the dlr-url)`)
  const kannel = g.kind === 'kannel'
  const operators = scenario.network.operators.map((op) => op.id)
  const pods = Math.max(1, Math.min(o.networkPods, operators.length))
  if (kannel && o.networkPods > 1) throw fail('--network-pods: with gateway kind kannel the network runs beside Kannel in one pod')
  const networkService = (k: number) => (pods === 1 ? `${name}-network` : `${name}-network-${k + 1}`)
  const groups = Array.from({ length: pods }, (_, k) => operators.filter((_, i) => i % pods === k))
  const placement: Placement | undefined = kannel ? undefined : Object.fromEntries(groups.flatMap((ids, k) => ids.map((id) => [id, networkService(k)])))
  const kannelUrl = kannel ? `http://${name}-gateway:${KANNEL_SENDSMS_PORT}/cgi-bin/sendsms` : undefined
  const files = shareFiles(o.scenarioFile, placement, kannelUrl)
  const size = Buffer.byteLength(files.scenario) + Buffer.byteLength(files.network)
  if (size > CONFIGMAP_LIMIT) throw fail(`the scenario and network files come to ${size} bytes; a ConfigMap holds at most ${CONFIGMAP_LIMIT}`)

  const labels = (component: string) => ({ 'app.kubernetes.io/name': 'mtsim', 'app.kubernetes.io/instance': name, 'app.kubernetes.io/component': component })
  const meta = (objName: string, component: string) => ({ name: objName, labels: labels(component), ...(o.namespace ? { namespace: o.namespace } : {}) })
  const configVolume: Volume = { name: 'files', configMap: { name: `${name}-files` } }
  const configMount = { name: 'files', mountPath: CONFIG_DIR, readOnly: true }
  const tmp = (volName: string): Volume => ({ name: volName, emptyDir: {} })

  const coordinatorUrl = `http://${name}-coordinator:${COORDINATOR_PORT}`
  const objects: K8sObject[] = []
  objects.push({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(`${name}-files`, 'files'),
    data: { 'scenario.yaml': files.scenario, 'network.yaml': files.network },
  })

  // --- the network: Deployments + Services, or Kannel with the network beside it ---
  if (kannel) {
    const failover = Object.entries(g.failover).map(([a, b]) => `${a}=${b}`).join(',')
    const args = ['gateway', 'kannel', `${CONFIG_DIR}/network.yaml`, '--dir', '/tmp/kannel', '--sendsms-host', '0.0.0.0', '--sendsms-port', String(KANNEL_SENDSMS_PORT), '--control-port', String(CONTROL_PORT), '--coordinator', coordinatorUrl]
    if (failover) args.push('--failover', failover)
    const c: Container = {
      ...container('gateway', o.kannelImage ?? `${o.image}-kannel`, args, [configMount, { name: 'tmp', mountPath: '/tmp' }]),
      ports: [{ name: 'sendsms', containerPort: KANNEL_SENDSMS_PORT }],
      // sendsms answers only once Kannel is bound to every operator (mtsim gateway kannel waits for that).
      readinessProbe: { tcpSocket: { port: 'sendsms' }, periodSeconds: 2 },
    }
    objects.push(deployment(`${name}-gateway`, 'gateway', meta, labels, { containers: [c], volumes: [configVolume, tmp('tmp')] }))
    objects.push(service(`${name}-gateway`, 'gateway', meta, labels, [{ name: 'sendsms', port: KANNEL_SENDSMS_PORT, targetPort: 'sendsms' }]))
  } else {
    groups.forEach((ids, k) => {
      const svc = networkService(k)
      // Fault timelines start with the load (the coordinator's start), not when this pod does.
      const args = ['simulate', `${CONFIG_DIR}/network.yaml`, '--listen-host', '0.0.0.0', '--shares', String(o.shares), '--control-port', String(CONTROL_PORT), '--coordinator', coordinatorUrl]
      if (pods > 1) args.push('--operators', ids.join(','))
      const ports = ids.map((id, j) => ({ name: `smpp-${j + 1}`, containerPort: files.ports[id]! }))
      const c: Container = {
        ...container('network', o.image, args, [configMount]),
        ports,
        readinessProbe: { tcpSocket: { port: ports[0]!.containerPort }, periodSeconds: 2 },
      }
      const component = pods === 1 ? 'network' : `network-${k + 1}`
      objects.push(deployment(svc, component, meta, labels, { containers: [c], volumes: [configVolume] }))
      objects.push(service(svc, component, meta, labels, ids.map((id, j) => ({ name: `smpp-${j + 1}`, port: files.ports[id]!, targetPort: `smpp-${j + 1}` }))))
    })
  }

  // --- the coordinator: barrier, results, the merged verdict ---
  const plan = buildPlan(scenario)
  // Everything a share does after the start, with room: the plan, the receipt wait, the engine's drain slack, a delivery.
  const resultsTimeoutS = Math.ceil((plan.durationMs + scenario.receipts.waitMs + 60_000) / 1000) + 300
  const resultsVolume: Volume = o.pvc ? { name: 'results', persistentVolumeClaim: { claimName: `${name}-results` } } : tmp('results')
  if (o.pvc) {
    objects.push({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: meta(`${name}-results`, 'results'),
      spec: {
        // Only the coordinator mounts it: the shares send their results over HTTP.
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: o.pvc.size } },
        ...(o.pvc.storageClass ? { storageClassName: o.pvc.storageClass } : {}),
      },
    })
  }
  const coordinator: Container = {
    ...container(
      'coordinator',
      o.image,
      ['coordinate', '--shares', String(o.shares), '--host', '0.0.0.0', '--port', String(COORDINATOR_PORT), '--out', '/results', '--checkin-timeout', '15m', '--results-timeout', `${resultsTimeoutS}s`],
      [{ name: 'results', mountPath: '/results' }],
    ),
    ports: [{ name: 'coordinator', containerPort: COORDINATOR_PORT }],
    readinessProbe: { httpGet: { path: '/health', port: 'coordinator' }, periodSeconds: 2 },
  }
  objects.push(job(`${name}-coordinator`, 'coordinator', meta, labels, { containers: [coordinator], volumes: [resultsVolume] }))
  objects.push(service(`${name}-coordinator`, 'coordinator', meta, labels, [{ name: 'coordinator', port: COORDINATOR_PORT, targetPort: 'coordinator' }]))

  // --- the shares: one Indexed Job ---
  const shareArgs = ['run', `${CONFIG_DIR}/scenario.yaml`, '--segment', `auto/${o.shares}`, '--coordinator', coordinatorUrl, '--remote-network', '--out', '/out', '--no-progress']
  const http = kannel || g.kind === 'http'
  // Receipt callbacks come to the pod's own address (Kubernetes expands $(POD_IP) from the env below).
  if (http) shareArgs.push('--webhook-host', '$(POD_IP)')
  const resources = o.cpu || o.memory ? { requests: limits(o), limits: limits(o) } : undefined
  const share: Container = {
    ...container('share', o.image, shareArgs, [configMount, { name: 'out', mountPath: '/out' }]),
    ...(http ? { env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }] } : {}),
    ...(resources ? { resources } : {}),
  }
  const spread = {
    labelSelector: { matchLabels: labels('share') },
    topologyKey: 'kubernetes.io/hostname',
  }
  const shares: IJob = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta(`${name}-shares`, 'share'),
    spec: {
      completionMode: 'Indexed',
      completions: o.shares,
      parallelism: o.shares,
      // A share run again would play its plan out of line with the others: a failed share fails the run (the coordinator names it).
      backoffLimit: 0,
      template: {
        metadata: { labels: labels('share') },
        spec: {
          restartPolicy: 'Never',
          ...podSecurity,
          containers: [share],
          volumes: [configVolume, tmp('out')],
          affinity: {
            podAntiAffinity: o.separate
              ? { requiredDuringSchedulingIgnoredDuringExecution: [spread] }
              : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: spread }] },
          },
        },
      },
    },
  }
  objects.push(shares)

  const yaml = objects.map((obj) => stringify(obj, { lineWidth: 0 })).join('---\n')
  const ns = o.namespace ? ` -n ${o.namespace}` : ''
  const commands = [
    `kubectl apply${ns} -f ${name}.yaml`,
    `kubectl wait${ns} --for=condition=complete --timeout=${resultsTimeoutS + 900}s job/${name}-coordinator   # or condition=failed`,
    `kubectl logs${ns} job/${name}-coordinator   # the merged summary and the verdict`,
    `kubectl delete${ns} -f ${name}.yaml`,
  ]
  return { objects, yaml, name, commands }
}

const podSecurity: Pick<PodSpec, 'securityContext'> = {
  securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
}

function container(name: string, image: string, args: string[], volumeMounts: Container['volumeMounts']): Container {
  return {
    name,
    image,
    args,
    volumeMounts,
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
  }
}

type Meta = (objName: string, component: string) => NonNullable<IJob['metadata']>
type Labels = (component: string) => Record<string, string>

function deployment(objName: string, component: string, meta: Meta, labels: Labels, pod: Pick<PodSpec, 'containers' | 'volumes'>): IDeployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(objName, component),
    spec: {
      replicas: 1,
      selector: { matchLabels: labels(component) },
      template: { metadata: { labels: labels(component) }, spec: { ...podSecurity, ...pod } },
    },
  }
}

function service(objName: string, component: string, meta: Meta, labels: Labels, ports: { name: string; port: number; targetPort: string }[]): IService {
  return { apiVersion: 'v1', kind: 'Service', metadata: meta(objName, component), spec: { selector: labels(component), ports } }
}

function job(objName: string, component: string, meta: Meta, labels: Labels, pod: Pick<PodSpec, 'containers' | 'volumes'>): IJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta(objName, component),
    spec: {
      // One coordinator per run: a second would not know who checked in with the first.
      backoffLimit: 0,
      template: { metadata: { labels: labels(component) }, spec: { restartPolicy: 'Never', ...podSecurity, ...pod } },
    },
  }
}

function limits(o: K8sOptions): Record<string, string> {
  return { ...(o.cpu ? { cpu: o.cpu } : {}), ...(o.memory ? { memory: o.memory } : {}) }
}

/** A DNS-1035 label short enough for the longest suffix (-coordinator) to fit in 63 characters. */
export function objectName(raw: string): string {
  const n = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+/g, '-')
    .slice(0, 40)
    .replace(/-+$/, '')
  if (!n) throw new MtsimError('MTSIM_ERR_K8S', [`--name: expected a name with letters, like "peak-day", found ${JSON.stringify(raw)}`])
  return n
}
