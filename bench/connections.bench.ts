// TCP connections for 100 sequential invocations that each make one AWS SDK call
// (GetSecretValue against a local endpoint that counts connections): with @lamina/connections'
// keep-alive request handler, with the SDK's default handler on a client made once at init, and
// with a client made inside the handler (a common slip). Between invocations one event-loop turn
// passes, as in the Lambda runtime. Run: npx tsx bench/connections.bench.ts
import { setImmediate as nextTurn } from 'node:timers/promises'
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { clients, keepAliveAgents } from '@lamina/connections'
import { wrap } from '@lamina/core'
import { createContext } from '@lamina/testing'
import { startSecretsManagerServer } from '../test/support/secrets-manager-server.ts'
import { report } from './support/report.js'

const invocations = 100
const server = await startSecretsManagerServer({ 'pool/key': 'pooled-secret' })
const clientOptions = {
  endpoint: server.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
}
const read = (client: SecretsManagerClient) =>
  client.send(new GetSecretValueCommand({ SecretId: 'pool/key' })).then((output) => output.SecretString)

type Handler = (event: unknown, context: unknown) => Promise<unknown>

async function connectionsFor(handler: Handler): Promise<number> {
  server.resetCounters()
  for (let index = 0; index < invocations; index++) {
    const value = await handler({}, createContext())
    if (value !== 'pooled-secret') throw new Error(`bench: the handler answered ${String(value)}`)
    await nextTurn()
  }
  return server.connections
}

const agents = keepAliveAgents()
const withConnections = wrap<unknown>()
  .use(
    clients({
      secretsManager: () => new SecretsManagerClient({ ...clientOptions, requestHandler: agents.requestHandler }),
    }),
  )
  .handler(async (_event, context) => read(context.clients.secretsManager)) as Handler
const initClient = new SecretsManagerClient(clientOptions)
const sdkDefault = wrap(async () => read(initClient)) as Handler
const perInvocation = wrap(async () => read(new SecretsManagerClient(clientOptions))) as Handler

const counts = {
  'lamina clients() + keepAliveAgents()': await connectionsFor(withConnections),
  'SDK default handler, client made at init': await connectionsFor(sdkDefault),
  'SDK client made in the handler': await connectionsFor(perInvocation),
}
await agents.destroy()
await server.close()

const lamina = counts['lamina clients() + keepAliveAgents()']
report({
  id: 'connections',
  title: 'Connections',
  tables: [
    {
      title: `TCP connections for ${invocations} sequential invocations, one GetSecretValue each (node ${process.version})`,
      rows: Object.entries(counts).map(([setup, connections]) => ({ setup, 'TCP connections': String(connections) })),
    },
  ],
  ratios: [
    {
      key: 'vs-sdk-default',
      label: 'connections: Lamina ÷ SDK default handler',
      value: lamina / counts['SDK default handler, client made at init'],
    },
    {
      key: 'vs-per-invocation',
      label: 'connections: Lamina ÷ client made in the handler',
      value: lamina / counts['SDK client made in the handler'],
    },
  ],
  chart: {
    title: `TCP connections for ${invocations} invocations`,
    unit: 'connections (lower is better)',
    bars: Object.entries(counts).map(([label, value]) => ({ label, value })),
    log: true,
  },
})
process.exit(0)
