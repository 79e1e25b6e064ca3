// Public surface of the simulator: start a network, and the types the rest of mtsim codes against.
export { startNetwork, type StartOptions } from './start-network.js'
export { loadNetwork, parseNetwork, normalizeFault, type NetworkConfig, type OperatorConfig, type Fault, type Delay } from './network.js'
export type { NetworkHandle, OperatorHandle, OperatorStats, OperatorState, ActiveFault, SubmitObserver, LatencySummary } from './types.js'
export { Scheduler, systemClock, type Clock } from './scheduler.js'
export { DelaySampler } from './delay.js'
