// For Lamina's other packages (batch records are validated the same way): any Standard Schema,
// issues bounded as above, and JSON parsed without prototype keys.
export type { Outcome } from './run-schema.js'
export { isStandardSchema, runSchema } from './run-schema.js'
export { parseJsonSafely } from './safe-parse.js'
export type { ValidationErrorOptions, ValidationIssue, ValidationPart } from './validation-error.js'
export { ValidationError } from './validation-error.js'
export type { ValidatorFlow, ValidatorOptions } from './validator.js'
export { validator } from './validator.js'
