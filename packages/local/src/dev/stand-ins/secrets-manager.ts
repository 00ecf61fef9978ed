// A Secrets Manager endpoint on 127.0.0.1 serving an example's secrets.local.json
// (GetSecretValue, the JSON 1.1 protocol the AWS SDK speaks): the function's real SDK client reads
// it through AWS_ENDPOINT_URL_SECRETS_MANAGER, exactly as it would read AWS.
import { readFile } from 'node:fs/promises'
import { awsError, jsonOperationServer, listenLocally, type StandIn } from './shared.js'

/** A secret asked for by ARN (`…:secret:orders/pricing`) is looked up by its name. */
const secretName = (id: string) => (id.startsWith('arn:') ? id.slice(id.indexOf(':secret:') + 8) : id)

export async function startSecretsManager(file: string): Promise<StandIn> {
  const server = jsonOperationServer('secretsmanager.GetSecretValue', async (body, send) => {
    try {
      const { SecretId } = JSON.parse(body) as { SecretId: string }
      const name = secretName(SecretId)
      const secrets = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>
      if (!Object.hasOwn(secrets, name)) {
        return send(400, awsError('ResourceNotFoundException', `No secret "${name}" in ${file}.`))
      }
      const value = secrets[name]
      const SecretString = typeof value === 'string' ? value : JSON.stringify(value)
      const ARN = `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}`
      send(
        200,
        JSON.stringify({
          ARN,
          Name: name,
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
  const { endpoint, close } = await listenLocally(server)
  return {
    env: { AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint },
    description: `Secrets Manager on ${endpoint}, serving secrets.local.json`,
    close,
  }
}
