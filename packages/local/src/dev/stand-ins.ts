// Local stand-ins an example needs, started with the dev server so nothing else has to run.
// An example with a secrets.local.json gets a Secrets Manager endpoint on 127.0.0.1 serving it
// (GetSecretValue, the JSON 1.1 protocol the AWS SDK speaks): the function's real SDK client
// reads it through AWS_ENDPOINT_URL_SECRETS_MANAGER, exactly as it would read AWS.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'

export interface StandIns {
  /** Variables the functions get so their clients reach the stand-ins. */
  env: Record<string, string>
  /** One line per stand-in, for the startup banner. */
  descriptions: string[]
  close(): Promise<void>
}

const awsError = (type: string, message: string) => JSON.stringify({ __type: type, message })

function secretsManager(file: string): Server {
  return createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', async () => {
      const send = (status: number, body: string) =>
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(body)
      if (request.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
        return send(400, awsError('UnknownOperationException', 'The local stand-in answers GetSecretValue only.'))
      }
      try {
        const { SecretId } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { SecretId: string }
        const secrets = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>
        if (!Object.hasOwn(secrets, SecretId)) {
          return send(400, awsError('ResourceNotFoundException', `No secret "${SecretId}" in ${file}.`))
        }
        const value = secrets[SecretId]
        const SecretString = typeof value === 'string' ? value : JSON.stringify(value)
        const ARN = `arn:aws:secretsmanager:us-east-1:123456789012:secret:${SecretId}`
        send(
          200,
          JSON.stringify({
            ARN,
            Name: SecretId,
            SecretString,
            VersionId: 'local',
            VersionStages: ['AWSCURRENT'],
            CreatedDate: 0,
          }),
        )
      } catch (error) {
        send(
          500,
          awsError('InternalServiceError', `The local stand-in could not read ${file}: ${(error as Error).message}`),
        )
      }
    })
  })
}

export async function startStandIns(dir: string): Promise<StandIns> {
  const file = join(dir, 'secrets.local.json')
  if (!existsSync(file)) return { env: {}, descriptions: [], close: async () => {} }
  const server = secretsManager(file)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    env: {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
      // The stand-in checks no signature; the SDK only needs credentials to sign with.
      AWS_ACCESS_KEY_ID: 'lamina-local',
      AWS_SECRET_ACCESS_KEY: 'lamina-local',
      AWS_REGION: 'us-east-1',
    },
    descriptions: [`Secrets Manager on ${endpoint}, serving secrets.local.json`],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
