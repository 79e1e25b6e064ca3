// Where Kannel's two boxes live: the Debian package puts them in /usr/sbin, which is often not on a
// normal user's PATH, so look there first and then along PATH.
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { MtsimError } from '../../lib/errors.js'

export interface KannelBinaries {
  bearerbox: string
  smsbox: string
}

const FIXED_DIRS = ['/usr/sbin', '/usr/local/sbin']

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

function locate(name: string): string | undefined {
  const dirs = [...FIXED_DIRS, ...(process.env.PATH ?? '').split(delimiter).filter(Boolean)]
  for (const dir of dirs) {
    const path = join(dir, name)
    if (executable(path)) return path
  }
  return undefined
}

/** Both binaries, or undefined when either is missing. */
export function findKannel(): KannelBinaries | undefined {
  const bearerbox = locate('bearerbox')
  const smsbox = locate('smsbox')
  return bearerbox && smsbox ? { bearerbox, smsbox } : undefined
}

export function kannelAvailable(): boolean {
  return findKannel() !== undefined
}

/** Both binaries, or an error telling the user how to install them. */
export function requireKannel(): KannelBinaries {
  const found = findKannel()
  if (found) return found
  throw new MtsimError('MTSIM_ERR_KANNEL_NOT_INSTALLED', [])
}
