/**
 * A setting the template passes in `Environment.Variables`, read once at init: a function
 * deployed without it fails its first invocation with this message rather than calling AWS
 * with an undefined table or bus name.
 */
export function setting(name: string): string {
  const value = process.env[name]
  if (value === undefined || value === '') {
    throw new Error(
      `${name} is not set: the template passes it to the function (Environment.Variables); set it when running the function by hand.`,
    )
  }
  return value
}
