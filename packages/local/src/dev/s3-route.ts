// PUT, GET and DELETE /_lamina/s3/<bucket>/<key>: the S3 stand-in behind the dev server, so an
// object can be dropped in with curl. A PUT answers once the functions its notifications reach have
// run, with what they reported, so the next command sees their work done.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { S3StandIn } from './stand-ins/s3.js'

const sendJson = (response: ServerResponse, status: number, value: unknown) =>
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value))

export async function proxyS3(
  s3: S3StandIn | undefined,
  request: IncomingMessage,
  bucket: string,
  encodedKey: string,
  body: Buffer,
  response: ServerResponse,
) {
  if (!s3) {
    return sendJson(response, 404, {
      message: 'The template declares no AWS::S3::Bucket, so there is no local S3: add one to use /_lamina/s3.',
    })
  }
  const method = request.method ?? 'GET'
  if (!['PUT', 'GET', 'DELETE'].includes(method)) {
    return sendJson(response, 405, { message: `${method} is not proxied: use PUT, GET or DELETE.` })
  }
  const contentType = request.headers['content-type']
  const answer = await fetch(`${s3.endpoint}/${bucket}/${encodedKey}`, {
    method,
    ...(method === 'PUT' ? { body } : {}),
    headers: contentType ? { 'content-type': contentType } : {},
  })
  const bytes = Buffer.from(await answer.arrayBuffer())
  const key = decodeURIComponent(encodedKey)
  if (method === 'PUT' && answer.ok) {
    const delivered = await s3.deliveredFor(bucket, key)
    const etag = answer.headers.get('etag')?.replaceAll('"', '')
    return sendJson(response, 200, { bucket, key, etag, size: body.length, delivered })
  }
  response.writeHead(answer.status, {
    'content-type': answer.headers.get('content-type') ?? 'application/octet-stream',
  })
  response.end(bytes)
}
