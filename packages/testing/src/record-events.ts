import { randomUUID } from 'node:crypto'
import type {
  AttributeValue,
  DynamoDBStreamEvent,
  EventBridgeEvent,
  KinesisStreamEvent,
  S3Event,
  SNSEvent,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda'

const region = 'us-east-1'
const account = '123456789012'

/**
 * One SQS record per body; objects are sent as JSON. Pass `fifo` for a FIFO queue's attributes
 * (every message in `group-1`, or `groups[i]` for message i).
 */
export function sqs(
  bodies: unknown[] = [{}],
  options: { queue?: string; fifo?: boolean; groups?: string[] } = {},
): SQSEvent {
  const queue = options.queue ?? (options.fifo ? 'lamina-queue.fifo' : 'lamina-queue')
  const Records = bodies.map(
    (body, index): SQSRecord => ({
      messageId: randomUUID(),
      receiptHandle: `receipt-${index}`,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(Date.now()),
        SenderId: 'AIDAIENQZJOLO23YVJ4VO',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
        ...(options.fifo
          ? {
              MessageGroupId: options.groups?.[index] ?? 'group-1',
              MessageDeduplicationId: `dedup-${index}`,
              SequenceNumber: String(index + 1),
            }
          : {}),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${region}:${account}:${queue}`,
      awsRegion: region,
    }),
  )
  return { Records }
}

/** One SNS record per message. */
export function sns(messages: unknown[] = [{}], topic = 'lamina-topic'): SNSEvent {
  const TopicArn = `arn:aws:sns:${region}:${account}:${topic}`
  return {
    Records: messages.map((message) => ({
      EventVersion: '1.0',
      EventSubscriptionArn: `${TopicArn}:${randomUUID()}`,
      EventSource: 'aws:sns',
      Sns: {
        SignatureVersion: '1',
        Timestamp: new Date().toISOString(),
        Signature: 'EXAMPLE',
        SigningCertUrl: 'https://sns.example/cert.pem',
        MessageId: randomUUID(),
        Message: typeof message === 'string' ? message : JSON.stringify(message),
        MessageAttributes: {},
        Type: 'Notification',
        UnsubscribeUrl: 'https://sns.example/unsubscribe',
        TopicArn,
        Subject: 'lamina',
      },
    })),
  }
}

/** One S3 record per object key. */
export function s3(
  keys: string[] = ['file.txt'],
  options: { bucket?: string; eventName?: string; size?: number } = {},
): S3Event {
  const bucket = options.bucket ?? 'lamina-bucket'
  return {
    Records: keys.map((key) => ({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: region,
      eventTime: new Date().toISOString(),
      eventName: options.eventName ?? 'ObjectCreated:Put',
      userIdentity: { principalId: 'EXAMPLE' },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': randomUUID(), 'x-amz-id-2': 'EXAMPLE' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'lamina',
        bucket: { name: bucket, ownerIdentity: { principalId: 'EXAMPLE' }, arn: `arn:aws:s3:::${bucket}` },
        // S3 URL-encodes keys in events (spaces become '+').
        object: {
          key: encodeURIComponent(key).replace(/%20/g, '+'),
          size: options.size ?? 1024,
          eTag: 'etag',
          sequencer: '0A1B2C3D4E5F678901',
        },
      },
    })),
  }
}

/** S3's EventBridge event for one object (`detail-type` `Object Created` unless given); the key URL-encoded as S3 sends it. */
export function s3EventBridge(
  key = 'file.txt',
  options: { bucket?: string; detailType?: string; size?: number } = {},
): EventBridgeEvent<string, Record<string, unknown>> {
  const bucket = options.bucket ?? 'lamina-bucket'
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': options.detailType ?? 'Object Created',
    source: 'aws.s3',
    account,
    time: new Date().toISOString(),
    region,
    resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: '0',
      bucket: { name: bucket },
      object: {
        key: encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/'),
        size: options.size ?? 1024,
        etag: 'etag',
        sequencer: '617f08299329d189',
      },
      'request-id': 'N4N7GDK58NMKJ12R',
      requester: account,
      reason: 'PutObject',
    },
  }
}

/** One DynamoDB stream record per new image (already in DynamoDB's attribute-value form). */
export function dynamodbStream(
  images: Record<string, AttributeValue>[] = [{ id: { S: '1' } }],
  keyName = 'id',
): DynamoDBStreamEvent {
  return {
    Records: images.map((NewImage, index) => ({
      eventID: randomUUID(),
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: region,
      dynamodb: {
        Keys: NewImage[keyName] ? { [keyName]: NewImage[keyName] } : {},
        NewImage,
        SequenceNumber: String(100 + index),
        SizeBytes: 26,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: `arn:aws:dynamodb:${region}:${account}:table/lamina/stream/2026-01-01T00:00:00.000`,
    })),
  }
}

/** One Kinesis record per payload (base64-encoded as Kinesis delivers it). */
export function kinesis(payloads: unknown[] = [{}], stream = 'lamina-stream'): KinesisStreamEvent {
  return {
    Records: payloads.map((payload, index) => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: 'partition-1',
        sequenceNumber: String(49590338271490256608559692538361571095921575989136588898n + BigInt(index)),
        data: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)).toString('base64'),
        approximateArrivalTimestamp: Date.now() / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000006:${index}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: `arn:aws:iam::${account}:role/lamina`,
      awsRegion: region,
      eventSourceARN: `arn:aws:kinesis:${region}:${account}:stream/${stream}`,
    })),
  }
}
