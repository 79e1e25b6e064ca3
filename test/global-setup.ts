// Runs once before the suite: tests write their artefacts under out/ (git-ignored), which a fresh
// clone does not have yet. Creating it here keeps tests independent of which one runs first.
import { mkdirSync } from 'node:fs'

export default function setup(): void {
  mkdirSync(new URL('../out/test-artifacts/', import.meta.url), { recursive: true })
}
