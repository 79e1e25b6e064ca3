// Managed Kannel: config generation, process control and admin status for a simulated network.
export { kannelConfig, renderKannelConfig, prefixForms, checkFailover, type KannelOptions, type KannelConfig, type KannelPorts, type KannelSmsc } from './config.js'
export type { KannelValue, KannelOverrides } from './config-text.js'
export { startKannel, type KannelHandle, type KannelNetwork, type StartKannelOptions } from './process.js'
export { parseKannelStatus, notReady, type KannelStatus, type KannelSmscStatus } from './status.js'
export { findKannel, kannelAvailable, requireKannel, type KannelBinaries } from './find.js'
