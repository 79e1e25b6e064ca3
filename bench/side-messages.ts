// The IPC messages between bench/main.ts's sections and their child processes, one union per
// side, so both ends are checked by the compiler (bench/child.ts's Side<Out> narrows on `type`).
import type { Totals } from '../results/results-format.js'
import type { TargetStats } from './fuzz/fuzz-driver.js'

/** What the load side (load-side.ts) is told to play. */
export interface LoadRun {
  /** The simulator side's SMPP port. */
  port: number
  messages: number
  /** Planned messages per second (an open loop). */
  rate: number
  window: number
  binds: number
  maxLagMs: number
  /** Progress every this many final receipts. */
  progressEvery: number
  /** The first ms of the plan are not measured. */
  warmupMs: number
  outDir: string
}

export type LoadSideIn = { type: 'run' } & LoadRun

export interface LoadDone {
  type: 'done'
  elapsedMs: number
  cpuUs: number
  peakRss: number
  finals: number
  measured: number
  totals: Totals
  /** results.json's path. */
  results: string
}

export type LoadSideOut =
  | { type: 'ready' }
  | { type: 'started' }
  | { type: 'progress'; finals: number; rss: number; memory?: Record<string, number> }
  | { type: 'finished' }
  | LoadDone
  | { type: 'failed'; error: string }

/** The simulator side's (sim-side.ts) cumulative usage and its one operator's counters. */
export interface SimUsage {
  type: 'usage-reply'
  cpuUs: number
  rss: number
  peakRss: number
  submits: number
  receiptsSent: number
  receiptsAcked: number
  pending: number
}

export type SimSideIn = { type: 'usage' } | { type: 'stop' }
export type SimSideOut = { type: 'ready'; port: number } | SimUsage

/** http-side.ts, every role. */
export type HttpSideIn = { type: 'usage' }
export type HttpSideOut =
  | { type: 'ready'; port?: number }
  | { type: 'usage-reply'; cpuUs: number; receipts: number; malformed: number }
  | { type: 'done'; elapsedMs: number; cpuUs: number; accepted: number }
  | { type: 'done'; elapsedMs: number; ok: number }

export interface ReceiptStoreDone {
  type: 'done'
  pending: number
  scheduled: number
  inWheel: number
  before: number
  after: number
  fillMs: number
  storeBytesPerEntry: number
  wheelBytes: number
  storeCapacity: number
}

/** baseline-peer.ts: the `smpp` package's own server and client (only their IPC is ours). */
export type BaselineIn = { type: 'report' }
export type BaselineOut =
  | { type: 'ready'; port: number }
  | { type: 'server-report'; cpuUs: number; peakRss: number; cycles: number }
  | { type: 'client-report'; cpuUs: number; peakRss: number; messages: number; total: number; elapsedMs: number }

/** fuzz-side.ts: the simulator under fuzz and its own view of itself (bench/fuzz/fuzz-driver.ts TargetStats). */
export type FuzzSideIn = { type: 'stats' } | { type: 'stop' }
export type FuzzSideOut =
  | { type: 'ready'; port: number; maxPduLength: number; systemId: string; password: string }
  | ({ type: 'stats-reply' } & TargetStats)

/** model-side.ts: one `mtsim model` in its own process. */
export type ModelSideIn = { type: 'model'; file: string; rateScale: number }
export interface ModelSideReply {
  type: 'model-reply'
  messages: number
  /** Wall time: loading, modelling, building results. */
  elapsedMs: number
  /** The model loop alone. */
  modelMs: number
  peakRss: number
  intervals: number
  peakQueued: number
}
