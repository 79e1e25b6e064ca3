// The two files a split run's pods read from its ConfigMap: the scenario as the shares play it
// and the network as the network's pods serve it. Both are the user's files with only what the
// cluster changes: the network's operators get fixed ports and the name of the Service that serves
// them (a share binds to <service>:<port>); a scenario whose gateway is a Kannel that mtsim runs
// sends to that Kannel's Service instead (gateway kind http, preset kannel). Comments and key
// order survive, so the files in the cluster still read as the user wrote them.
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { Document, isMap, parseDocument } from 'yaml'
import { MtsimError } from '../../lib/errors.js'

/** Where each operator runs in the cluster: the Service name, by operator id. */
export type Placement = Record<string, string>

/** The port an operator gets in the cluster when its file says 0 (any free port). */
export const FIRST_OPERATOR_PORT = 2775
/** Kannel's sendsms port in the gateway pod. */
export const KANNEL_SENDSMS_PORT = 13013

export interface ShareFiles {
  scenario: string
  network: string
  /** Operator id -> port in the cluster. */
  ports: Record<string, number>
}

function readDoc(file: string): Document {
  try {
    return parseDocument(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new MtsimError('MTSIM_ERR_CONFIG_READ', [file, (err as NodeJS.ErrnoException).code ?? (err as Error).message])
  }
}

/**
 * @param placement operator id -> host the shares reach it at; undefined keeps the file's hosts
 *   (the network runs inside the Kannel gateway pod, next to Kannel).
 * @param kannelUrl the sendsms URL of the Kannel gateway Service, for a `gateway: kannel` scenario.
 */
export function shareFiles(scenarioFile: string, placement: Placement | undefined, kannelUrl: string | undefined): ShareFiles {
  const scenario = readDoc(scenarioFile)
  const ref = scenario.get('network')
  const network = typeof ref === 'string' ? readDoc(resolve(dirname(scenarioFile), ref)) : new Document(scenario.toJS().network)
  scenario.set('network', 'network.yaml')

  const ports: Record<string, number> = {}
  const operators = network.get('operators')
  const used = new Set<number>()
  const list = (operators as { items?: unknown[] } | undefined)?.items ?? []
  for (const item of list) {
    if (!isMap(item)) continue
    const port = Number(item.getIn(['smpp', 'port']) ?? 0)
    if (port) used.add(port)
  }
  let next = FIRST_OPERATOR_PORT
  for (const item of list) {
    if (!isMap(item)) continue
    const id = String(item.get('id'))
    let port = Number(item.getIn(['smpp', 'port']) ?? 0)
    if (!port && placement) {
      while (used.has(next)) next++
      port = next
      used.add(port)
      item.setIn(['smpp', 'port'], port)
    }
    ports[id] = port
    if (placement) item.setIn(['smpp', 'host'], placement[id])
  }

  if (kannelUrl) {
    scenario.set(
      'gateway',
      scenario.createNode({
        kind: 'http',
        preset: 'kannel',
        url: kannelUrl,
        query: { username: 'mtsim', password: 'mtsim' },
        webhook: { port: 0 },
      }),
    )
    scenario.commentBefore = [
      scenario.commentBefore ?? '',
      ' mtsim k8s: gateway was "kind: kannel"; in the cluster Kannel runs in its own pod (mtsim gateway kannel) and the shares send to it.',
    ]
      .filter(Boolean)
      .join('\n')
  }
  return { scenario: scenario.toString(), network: network.toString(), ports }
}
