export type { ValidationErrorOptions, ValidationIssue, ValidationPart } from './validation-error.js'
export { ValidationError } from './validation-error.js'
export type { ValidatorFlow, ValidatorOptions } from './validator.js'
export { validator } from './validator.js'
