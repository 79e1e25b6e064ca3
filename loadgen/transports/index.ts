// createTransport: the scenario's gateway section -> the Transport the engine drives.
// direct needs the running simulated network (its operators' real ports and accounts). A managed
// Kannel (kind: kannel) is started elsewhere (gateways/kannel); its runner then builds an http
// target for Kannel's sendsms with kannelHttpGateway() and passes that in place of the section.

import { bug, MtsimError } from '../../lib/errors.js'
import type { GatewayConfig } from '../scenario/gateway-config.js'
import type { Transport } from './transport.js'
import { DirectTransport, type DirectNetwork } from './direct.js'
import { HttpTransport } from './http.js'
import { SmppTransport } from './smpp.js'

export { DirectTransport } from './direct.js'
export { HttpTransport, HttpRequestBuilder } from './http.js'
export { SmppTransport, BindPool } from './smpp.js'
export { SmppClient } from './smpp-client.js'
export { kannelHttpGateway } from './kannel-preset.js'
export { ReceiptWebhook } from './webhook.js'

/** Defaults for what the scenario does not tune (direct mode has binds, window, mode and response_timeout). */
const DIRECT_LINK = { responseTimeoutMs: 10_000, enquireLinkMs: 30_000, reconnectInitialMs: 250, reconnectMaxMs: 10_000 }

/**
 * @param startTimeoutMs direct mode: how long the first binds may take (default 10 s); a network
 *   on another host may come up after the load generator (deploy/remote-network.ts).
 */
export function createTransport(scenario: { gateway: GatewayConfig }, network?: DirectNetwork, startTimeoutMs?: number): Transport {
  const g = scenario.gateway
  switch (g.kind) {
    case 'direct':
      if (!network) throw new MtsimError('MTSIM_ERR_DIRECT_NO_NETWORK', [])
      return new DirectTransport(network, {
        binds: g.binds, defaultBinds: 1, mode: g.mode, window: g.window, ...DIRECT_LINK, responseTimeoutMs: g.responseTimeoutMs ?? DIRECT_LINK.responseTimeoutMs, startTimeoutMs,
        ...(g.tls !== undefined ? { tls: g.tls } : {}),
      })
    case 'smpp':
      return new SmppTransport(g)
    case 'http':
      return new HttpTransport(g)
    case 'kannel':
      // run/run-scenario.ts starts a managed Kannel and passes its http target (kannelHttpGateway) instead.
      return bug('gateway kind kannel reached createTransport')
  }
}
