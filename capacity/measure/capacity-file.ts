// capacity.json: what `mtsim capacity` found, step by step (rewritten after every step, so an
// interrupted search keeps what it measured).
import type { StepVerdict } from './diagnose.js'
import type { SearchOptions, SearchOutcome } from './search.js'

export const CAPACITY_SCHEMA = 'mtsim/capacity'

export interface StepSummary {
  rate: number
  ok: boolean
  interrupted: boolean
  /** Failed only for want of samples (which thresholds, how many): the step was too short to judge. */
  insufficient?: string
  dir: string
  planned: number
  sent: number
  accepted: number
  dropped: number
  rejected: number
  failed: number
  /** Accepted per second of the measured part. */
  carriedPerS: number
  submitP50: number | null
  submitP99: number | null
  receiptP50: number | null
  receiptP99: number | null
  verdict: StepVerdict
}

export interface CapacityFile {
  schema: typeof CAPACITY_SCHEMA
  version: 1
  meta: {
    name: string
    scenarioFile: string | null
    gateway: string
    startedAt: string
    endedAt: string
    durationMs: number
    interrupted: boolean
    settings: Omit<SearchOptions, 'dir' | 'signal' | 'onStep' | 'log'>
    /** The thresholds each step was judged by (the scenario's, or the defaults when it has none). */
    thresholds: string[]
  }
  held: number | null
  broke: number | null
  ended: SearchOutcome['ended'] | 'running'
  /** At the first rate that broke: what ran out, overall and per operator. */
  knee: StepVerdict | null
  steps: StepSummary[]
}
