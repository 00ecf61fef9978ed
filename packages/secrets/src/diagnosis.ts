import { redactSecrets } from '@lamina/core'
import { LocalSecretError } from './sources.js'
import type { SecretTarget } from './types.js'

/** Why a secret could not be fetched, when retrying cannot help: the fix is in the setup. */
export type SecretConfigurationReason =
  /** ResourceNotFoundException: no such secret (or version) in that account and region. */
  | 'not-found'
  /** AccessDeniedException or DecryptionFailure: the credentials may not read it. */
  | 'access-denied'
  /** The credentials were found but refused (expired, invalid, wrong signature). */
  | 'credentials-rejected'
  /** No credentials anywhere: typically a developer machine outside AWS. */
  | 'no-credentials'
  /** No region configured: typically a developer machine outside AWS. */
  | 'no-region'
  /** `@aws-sdk/client-secrets-manager` cannot be loaded. */
  | 'sdk-missing'
  /** An ESM bundle whose CommonJS parts cannot `require` Node's modules. */
  | 'bundle'
  /** Secrets Manager refused the request for another reason (marked for deletion, bad parameter...). */
  | 'rejected'
  /** The local secrets file is missing, is not JSON, or lacks the secret. */
  | 'local-file'

export interface Diagnosis {
  reason: SecretConfigurationReason | undefined
  advice: string
}

const outsideAws =
  'Outside AWS, read secrets from a JSON file instead: set LAMINA_SECRETS_FILE=./secrets.local.json (or the localFile option), ' +
  'or point AWS_ENDPOINT_URL_SECRETS_MANAGER (or the endpoint option) at a local stand-in.'

/** Advice for the SDK errors that have a known cause in the setup. */
function adviceForSdkError(name: string, target: SecretTarget): Diagnosis | undefined {
  switch (name) {
    case 'ResourceNotFoundException': {
      const version = target.versionId ? `versionId ${target.versionId}` : `versionStage ${target.versionStage}`
      return {
        reason: 'not-found',
        advice:
          "Check the secret's name or ARN, and that it exists in the region the client uses (the region option, else AWS_REGION)" +
          (target.versionStage || target.versionId ? `, with the version asked for (${version}).` : '.'),
      }
    }
    case 'AccessDeniedException':
    case 'DecryptionFailure':
      return {
        reason: 'access-denied',
        advice:
          "Allow secretsmanager:GetSecretValue on this secret in the function's role (and kms:Decrypt on its key when it is encrypted with a customer-managed KMS key).",
      }
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'ExpiredTokenException':
      return {
        reason: 'credentials-rejected',
        advice:
          'The AWS credentials in use were refused (expired, invalid, or for another account or partition); refresh them, or check AWS_PROFILE and AWS_ACCESS_KEY_ID.',
      }
    case 'CredentialsProviderError':
      return {
        reason: 'no-credentials',
        advice: `No AWS credentials were found. ${outsideAws} In Lambda, the function's execution role provides them.`,
      }
    default:
      return undefined
  }
}

const isThrottling = (name: string) => /throttl|toomanyrequests|requestlimitexceeded/i.test(name)

/** Reads a property of whatever was thrown without letting a hostile value throw again. */
function read(value: unknown, key: string): unknown {
  try {
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined
  } catch {
    return undefined
  }
}

function isLocal(cause: unknown): boolean {
  try {
    return cause instanceof LocalSecretError
  } catch {
    return false
  }
}

const text = (value: unknown) => (typeof value === 'string' ? value : '')

/** Whether retrying can help (reason undefined) and what the message should advise. */
export function diagnose(target: SecretTarget, cause: unknown): Diagnosis {
  if (isLocal(cause)) return { reason: 'local-file', advice: '' }
  const name = text(read(cause, 'name'))
  const message = text(read(cause, 'message'))
  const code = read(cause, 'code')
  const known = adviceForSdkError(name, target)
  if (known !== undefined) return known
  if (/^Region is missing/.test(message)) {
    return {
      reason: 'no-region',
      advice: `No AWS region is configured: set AWS_REGION or the region option. ${outsideAws}`,
    }
  }
  if (/Dynamic require of .* is not supported/.test(message)) {
    return {
      reason: 'bundle',
      advice:
        "The function is an ESM bundle in which the AWS SDK's CommonJS code cannot require Node's modules. " +
        'Give the bundle a createRequire banner (esbuild: banner.js = "import { createRequire } from \'node:module\'; const require = createRequire(import.meta.url);"), ' +
        'or leave @aws-sdk/* out of it (external: the Lambda runtime provides the SDK).',
    }
  }
  if (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    message.includes('@aws-sdk/client-secrets-manager')
  ) {
    return {
      reason: 'sdk-missing',
      advice: `Install @aws-sdk/client-secrets-manager (a peer dependency of @lamina/secrets), or keep it external in the bundle where the Lambda runtime provides it. ${outsideAws}`,
    }
  }
  if (read(cause, '$fault') === 'client' && !isThrottling(name)) {
    return { reason: 'rejected', advice: 'Secrets Manager refused the request; the reason above says what to change.' }
  }
  return {
    reason: undefined,
    advice:
      'No cached value is recent enough to serve. Throttling, 5xx answers, timeouts and connection errors were already retried by the SDK; ' +
      'check that the endpoint is reachable from the function (in a VPC: a NAT gateway or a Secrets Manager VPC endpoint).',
  }
}

const maxShownLength = 300

/**
 * What failed, from the underlying error: its name and message (an SDK error's message never
 * holds the secret value, but it goes through the registry anyway), and the SDK's attempt count.
 */
export function describeCause(cause: unknown): string {
  let shown: string
  if (isLocal(cause)) shown = text(read(cause, 'message'))
  else {
    const name = text(read(cause, 'name'))
    const message = text(read(cause, 'message'))
    const attempts = read(read(cause, '$metadata'), 'attempts')
    if (name || message) {
      const tries = typeof attempts === 'number' && attempts > 1 ? ` after ${attempts} attempts` : ''
      shown = `${name || 'Error'}${tries}${message ? `: ${message}` : ''}`
    } else {
      try {
        shown = String(cause)
      } catch {
        shown = 'a thrown value that cannot be shown'
      }
    }
  }
  shown = redactSecrets(shown).trim()
  if (shown.length > maxShownLength) return `${shown.slice(0, maxShownLength)}…`
  return /[.!?…]$/.test(shown) ? shown : `${shown}.`
}
