import type { Cookie } from '@azure/functions'

const sameSites = { strict: 'Strict', lax: 'Lax', none: 'None' } as const

/**
 * One `Set-Cookie` value as the Azure `Cookie` object the host writes back out. Attributes Azure's
 * Cookie cannot hold (Partitioned, Priority, extensions) are dropped.
 */
export function parseSetCookie(header: string): Cookie {
  const [pair = '', ...attributes] = header.split(';')
  const equals = pair.indexOf('=')
  const cookie: Cookie = {
    name: (equals === -1 ? '' : pair.slice(0, equals)).trim(),
    value: (equals === -1 ? pair : pair.slice(equals + 1)).trim(),
  }
  for (const attribute of attributes) {
    const at = attribute.indexOf('=')
    const key = (at === -1 ? attribute : attribute.slice(0, at)).trim().toLowerCase()
    const value = at === -1 ? '' : attribute.slice(at + 1).trim()
    if (key === 'domain') cookie.domain = value
    else if (key === 'path') cookie.path = value
    else if (key === 'secure') cookie.secure = true
    else if (key === 'httponly') cookie.httpOnly = true
    else if (key === 'max-age' && /^-?\d+$/.test(value)) cookie.maxAge = Number(value)
    else if (key === 'expires' && !Number.isNaN(Date.parse(value))) cookie.expires = new Date(value)
    else if (key === 'samesite') cookie.sameSite = sameSites[value.toLowerCase() as keyof typeof sameSites]
  }
  return cookie
}
