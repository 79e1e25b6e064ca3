// Free loopback ports for Kannel's listeners. All are held open at once while being picked so the
// kernel cannot hand out the same port twice; there is still a short window between closing them
// here and Kannel binding them, which is acceptable on a test machine.
import { bug } from '../../lib/errors.js'
import { createServer, type Server } from 'node:net'

function listenAnywhere(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}

export async function freeLoopbackPorts(count: number): Promise<number[]> {
  const servers: Server[] = []
  try {
    for (let i = 0; i < count; i++) servers.push(await listenAnywhere())
    return servers.map((s) => {
      const addr = s.address()
      if (!addr || typeof addr === 'string') return bug('loopback listener has no port')
      return addr.port
    })
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))))
  }
}
