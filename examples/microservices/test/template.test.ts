// What the SAM template must say for the two services to work together and fail safely: the
// rule matches exactly what the orders service publishes, on the bus it publishes to; each
// function is allowed only its own service's resources; failed events end in a queue, not in
// endless retries.
import { describe, expect, it } from 'vitest'
import { orderPlacedSource, orderPlacedType } from '../src/inventory/order-placed.js'
import { ordersSource } from '../src/orders/events.js'
import { readTemplate } from './stand-ins.js'

const { Resources: resources } = readTemplate()
const ref = (value: string) => ({ tag: 'Ref', value })

/** Every `!Ref` / `!GetAtt` target in a value, as logical ids. */
function referenced(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referenced)
  if (typeof value !== 'object' || value === null) return []
  const node = value as { tag?: string; value?: unknown }
  if (node.tag === 'Ref' || node.tag === 'GetAtt') return [String(node.value).split('.')[0] as string]
  return Object.values(value).flatMap(referenced)
}

describe('the template', () => {
  it("routes the orders service's OrderPlaced, on its bus, to the inventory consumer", () => {
    // Prepare
    const rule = resources.InventoryFunction.Properties.Events.OrderPlaced

    // Assess
    expect(resources.OrdersBus.Type).toBe('AWS::Events::EventBus')
    expect(rule.Type).toBe('EventBridgeRule')
    expect(rule.Properties.EventBusName).toEqual(ref('OrdersBus'))
    expect(resources.OrdersFunction.Properties.Environment.Variables.EVENT_BUS_NAME).toEqual(ref('OrdersBus'))
    expect(rule.Properties.Pattern).toEqual({ source: [ordersSource], 'detail-type': [orderPlacedType] })
    expect(orderPlacedSource).toBe(ordersSource)
  })

  it('gives each service only its own tables, and the orders service only PutEvents on its bus', () => {
    // Prepare
    const policyTargets = (fn: string) => referenced(resources[fn].Properties.Policies).sort()
    const environmentTargets = (fn: string) => referenced(resources[fn].Properties.Environment.Variables).sort()

    // Assess
    expect(resources.OrdersFunction.Properties.Policies).toEqual([
      { DynamoDBCrudPolicy: { TableName: ref('OrdersTable') } },
      { EventBridgePutEventsPolicy: { EventBusName: ref('OrdersBus') } },
    ])
    expect(policyTargets('InventoryFunction')).toEqual(['IdempotencyTable', 'InventoryTable'])
    expect(policyTargets('StockFunction')).toEqual(['InventoryTable'])
    for (const fn of ['OrdersFunction', 'InventoryFunction', 'StockFunction']) {
      expect(environmentTargets(fn)).toEqual(policyTargets(fn))
    }
    expect(resources.IdempotencyTable.Properties).toMatchObject({
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
    })
  })

  it('bounds the retries of an event: delivery failures to a rule DLQ, function failures to a queue after two retries', () => {
    // Prepare
    const consumer = resources.InventoryFunction.Properties
    const rule = consumer.Events.OrderPlaced.Properties

    // Assess
    expect(rule.RetryPolicy).toEqual({ MaximumRetryAttempts: expect.any(Number), MaximumEventAgeInSeconds: 3600 })
    expect(rule.DeadLetterConfig).toEqual({ Type: 'SQS' })
    expect(consumer.EventInvokeConfig).toMatchObject({
      MaximumRetryAttempts: 2,
      DestinationConfig: {
        OnFailure: { Type: 'SQS', Destination: { tag: 'GetAtt', value: 'InventoryFailedEvents.Arn' } },
      },
    })
    expect(resources.InventoryFailedEvents.Type).toBe('AWS::SQS::Queue')
  })
})
