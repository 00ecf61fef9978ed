export { SecretFormatError, SecretsUnavailableError } from './errors.js'
export { secrets } from './secrets.js'
export { LocalSecretError } from './sources.js'
export type {
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
