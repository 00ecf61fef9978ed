import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/**
 * A small Secrets Manager-compatible endpoint for tests (JSON 1.1 protocol, the only operation
 * being `secretsmanager.GetSecretValue`) on 127.0.0.1. It counts calls and TCP connections and
 * injects faults, so tests can assert what the real AWS SDK client did on the wire.
 *
 * Any other request (say `GET /ping`) answers `200 pong`: handy for counting connections that
 * `fetch` opens.
 */

/** One fault, consumed by one request. */
export type Fault =
  | { kind: 'internal' } // 500 InternalServiceError: the SDK retries it
  | { kind: 'throttle' } // 400 ThrottlingException: the SDK retries it
  | { kind: 'not-found' } // 400 ResourceNotFoundException: not retried
  | { kind: 'reset' } // the socket is destroyed before any answer: the SDK retries it
  | { kind: 'slow'; ms: number } // answers normally, after `ms`
  | { kind: 'held'; until: Promise<unknown> } // answers normally once `until` settles: the test decides when
  | { kind: 'error'; status: number; type: string; message?: string } // any AWS error answer (not retried when 4xx)

export interface StoredVersion {
  versionId: string
  stages: string[]
  secretString?: string
  secretBinary?: Uint8Array
}

export interface GetSecretValueCall {
  secretId: string
  versionStage: string | undefined
  versionId: string | undefined
}

export interface SecretsManagerServer {
  /** `http://127.0.0.1:<port>`: pass as `endpoint` or `AWS_ENDPOINT_URL_SECRETS_MANAGER`. */
  readonly endpoint: string
  /** Every GetSecretValue request received, faulted or not, in order. */
  readonly calls: GetSecretValueCall[]
  /** GetSecretValue requests for one secret id. */
  callsFor(secretId: string): number
  /** Resolves once `count` GetSecretValue requests for `secretId` have arrived (at once if they have). */
  received(secretId: string, count: number): Promise<void>
  /** TCP connections accepted since start (or since `resetCounters`). */
  readonly connections: number
  /** Requests of any kind (GetSecretValue and plain HTTP). */
  readonly requests: number
  /** Stores a new AWSCURRENT (or `stages`) version; older versions lose those stages. `null`: a version with no value. */
  setSecret(
    secretId: string,
    value: string | Uint8Array | null,
    options?: { stages?: string[]; versionId?: string },
  ): string
  deleteSecret(secretId: string): void
  /** Queues faults: each next GetSecretValue request consumes one, in order. */
  injectFaults(...faults: Fault[]): void
  /** Every GetSecretValue request fails with this fault until cleared with `undefined`. */
  failAlways(fault: Fault | undefined): void
  /** Headers added to every plain HTTP answer (e.g. `{ connection: 'close' }`). */
  plainHeaders: Record<string, string>
  resetCounters(): void
  close(): Promise<void>
}

interface ServerState {
  secrets: Map<string, StoredVersion[]>
  calls: GetSecretValueCall[]
  /** Tests waiting for a number of calls: checked on each call. */
  waiters: Set<() => void>
  faults: Fault[]
  always: Fault | undefined
  plainHeaders: Record<string, string>
}

const json = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' })
  response.end(JSON.stringify(body))
}

const awsError = (response: ServerResponse, status: number, type: string, message: string) => {
  response.setHeader('x-amzn-errortype', type)
  json(response, status, { __type: type, message })
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}

function findVersion(versions: StoredVersion[], call: GetSecretValueCall): StoredVersion | undefined {
  if (call.versionId !== undefined) return versions.find((version) => version.versionId === call.versionId)
  const stage = call.versionStage ?? 'AWSCURRENT'
  return versions.find((version) => version.stages.includes(stage))
}

function answerSecret(state: ServerState, call: GetSecretValueCall, response: ServerResponse): void {
  const versions = state.secrets.get(call.secretId)
  const version = versions && findVersion(versions, call)
  if (!version) {
    awsError(response, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.")
    return
  }
  json(response, 200, {
    ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${call.secretId}-AbCdEf`,
    Name: call.secretId,
    VersionId: version.versionId,
    VersionStages: version.stages,
    CreatedDate: 1_767_225_600,
    ...(version.secretString !== undefined ? { SecretString: version.secretString } : {}),
    ...(version.secretBinary !== undefined
      ? { SecretBinary: Buffer.from(version.secretBinary).toString('base64') }
      : {}),
  })
}

async function applyFault(fault: Fault, request: IncomingMessage, response: ServerResponse): Promise<boolean> {
  switch (fault.kind) {
    case 'internal':
      awsError(response, 500, 'InternalServiceError', 'An error occurred on the server side.')
      return true
    case 'throttle':
      awsError(response, 400, 'ThrottlingException', 'Rate exceeded')
      return true
    case 'not-found':
      awsError(response, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.")
      return true
    case 'reset':
      request.socket.destroy()
      return true
    case 'slow':
      await new Promise((resolve) => setTimeout(resolve, fault.ms))
      return false
    case 'held':
      await fault.until.then(
        () => undefined,
        () => undefined,
      )
      return false
    case 'error':
      awsError(response, fault.status, fault.type, fault.message ?? `${fault.type} (injected by the test server)`)
      return true
  }
}

async function handle(state: ServerState, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const body = await readBody(request)
  const target = request.headers['x-amz-target']
  if (target === undefined) {
    response.writeHead(200, { 'content-type': 'text/plain', ...state.plainHeaders })
    response.end('pong')
    return
  }
  if (target !== 'secretsmanager.GetSecretValue') {
    awsError(response, 400, 'UnknownOperationException', `This test server only answers GetSecretValue, not ${target}.`)
    return
  }
  const input = JSON.parse(body) as { SecretId: string; VersionStage?: string; VersionId?: string }
  const call = { secretId: input.SecretId, versionStage: input.VersionStage, versionId: input.VersionId }
  state.calls.push(call)
  for (const check of state.waiters) check()
  const fault = state.faults.shift() ?? state.always
  if (fault && (await applyFault(fault, request, response))) return
  answerSecret(state, call, response)
}

/** Starts the server on 127.0.0.1 with the given secrets (string or binary, stage AWSCURRENT). */
export async function startSecretsManagerServer(
  initial: Record<string, string | Uint8Array> = {},
): Promise<SecretsManagerServer> {
  const state: ServerState = {
    secrets: new Map(),
    calls: [],
    waiters: new Set(),
    faults: [],
    always: undefined,
    plainHeaders: {},
  }
  let connections = 0
  let requests = 0
  const sockets = new Set<Socket>()
  const server = createServer((request, response) => {
    requests++
    // No Date header: tests fake the clock, and the SDK would "correct" the skew and retry.
    response.sendDate = false
    handle(state, request, response).catch((error: unknown) => {
      if (!response.headersSent) awsError(response, 500, 'InternalServiceError', String(error))
    })
  })
  server.on('connection', (socket: Socket) => {
    connections++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  const callsFor = (secretId: string) => state.calls.filter((call) => call.secretId === secretId).length
  const setSecret: SecretsManagerServer['setSecret'] = (secretId, value, options = {}) => {
    const stages = options.stages ?? ['AWSCURRENT']
    const versionId = options.versionId ?? randomUUID()
    const versions = state.secrets.get(secretId) ?? []
    for (const version of versions) version.stages = version.stages.filter((stage) => !stages.includes(stage))
    versions.push({
      versionId,
      stages,
      ...(typeof value === 'string' ? { secretString: value } : value === null ? {} : { secretBinary: value }),
    })
    state.secrets.set(secretId, versions)
    return versionId
  }
  for (const [secretId, value] of Object.entries(initial)) setSecret(secretId, value)

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls: state.calls,
    callsFor,
    received: (secretId, count) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (callsFor(secretId) < count) return
          state.waiters.delete(check)
          resolve()
        }
        state.waiters.add(check)
        check()
      }),
    get connections() {
      return connections
    },
    get requests() {
      return requests
    },
    setSecret,
    deleteSecret: (secretId) => void state.secrets.delete(secretId),
    injectFaults: (...faults) => void state.faults.push(...faults),
    failAlways: (fault) => {
      state.always = fault
    },
    get plainHeaders() {
      return state.plainHeaders
    },
    set plainHeaders(headers) {
      state.plainHeaders = headers
    },
    resetCounters: () => {
      state.calls.length = 0
      connections = 0
      requests = 0
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
