export {
  SecretConfigurationError,
  type SecretConfigurationReason,
  SecretFormatError,
  SecretsUnavailableError,
} from './errors.js'
export { defaultSensitiveKeys, isSensitiveKey } from './redaction.js'
export { secrets } from './secrets.js'
export { LocalSecretError } from './sources.js'
export type {
  RedactOption,
  SchemaLike,
  SchemaOutput,
  SecretControls,
  SecretDefinition,
  SecretSpec,
  SecretsOptions,
  SecretValue,
  SecretValues,
  WarningSink,
} from './types.js'
