import { wrap } from '@lamina/core'
import {
  type SchedulerContext,
  schedulerContextAttributes,
  schedulerInput,
  schedulerInputTemplate,
} from '@lamina/events'
import { createContext, events } from '@lamina/testing'
import { ValidationError } from '@lamina/validator'
import { describe, expect, test } from 'vitest'
import { z } from 'zod'

const Report = z.object({ report: z.enum(['daily', 'weekly']), recipients: z.array(z.email()).default([]) })

const filledIn: SchedulerContext = {
  scheduleArn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/default/nightly',
  scheduledTime: '2026-11-27T02:00:00Z',
  executionId: 'd32c5kddcf5bb8c3',
  attemptNumber: 2,
}

/** What Scheduler delivers for a schedule whose input is `template`: each keyword replaced by its value. */
function deliver(template: string, values: SchedulerContext = filledIn): unknown {
  let text = template
  for (const [field, keyword] of Object.entries(schedulerContextAttributes)) {
    text = text.replaceAll(keyword, String(values[field as keyof SchedulerContext]))
  }
  return JSON.parse(text)
}

async function run(middleware: ReturnType<typeof schedulerInput>, event: unknown) {
  let seen: { event: unknown; scheduler: unknown } | undefined
  const chain = wrap(async (event: unknown, context: object) => {
    seen = { event, scheduler: (context as { scheduler?: unknown }).scheduler }
  }).use(middleware)
  const error = await chain(event, createContext()).then(
    () => undefined,
    (thrown: ValidationError) => thrown,
  )
  return { seen, error }
}

describe('schedulerInput(schema)', () => {
  test('the whole input is the event, parsed by the schema; the context attributes become context.scheduler', async () => {
    // Prepare
    const template = schedulerInputTemplate({ report: 'daily' })

    // Act
    const { seen, error } = await run(schedulerInput(Report), deliver(template))

    // Assess
    expect(error).toBeUndefined()
    expect(seen).toEqual({ event: { report: 'daily', recipients: [] }, scheduler: filledIn })
  })

  test("@lamina/testing's events.scheduler() delivery: the attempt number arrives as text and is read as a number", async () => {
    const delivery = events.scheduler({ report: 'weekly' }, { attemptNumber: '3' })

    const { seen } = await run(schedulerInput(Report), delivery)

    expect(seen?.event).toEqual({ report: 'weekly', recipients: [] })
    expect(seen?.scheduler).toEqual({ ...delivery.scheduler, attemptNumber: 3 })
  })

  test('an input without context attributes: context.scheduler is undefined', async () => {
    const { seen } = await run(schedulerInput(Report), { report: 'weekly' })

    expect(seen).toEqual({ event: { report: 'weekly', recipients: [] }, scheduler: undefined })
  })

  test('without a schema the input passes as it came (a string too)', async () => {
    const { seen } = await run(schedulerInput(), 'run-now')

    expect(seen).toEqual({ event: 'run-now', scheduler: undefined })
  })

  test('an input that fails the schema throws a ValidationError listing the issues, before the handler', async () => {
    const { seen, error } = await run(schedulerInput(Report), { report: 'hourly' })

    expect(seen).toBeUndefined()
    expect(error).toBeInstanceOf(ValidationError)
    expect(error?.issues.map((issue) => issue.path)).toEqual([['report']])
    expect(error?.message).toMatch(
      /^The EventBridge Scheduler input did not pass validation: report: .+ Scheduler retries/,
    )
  })

  test('an input that fails as a whole is an issue at the root', async () => {
    const { error } = await run(schedulerInput(z.string()), { report: 'daily' })

    expect(error?.issues).toEqual([{ path: [], message: expect.any(String) }])
    expect(error?.message).toMatch(/did not pass validation: \(root\): /)
  })

  test('context attributes Scheduler did not fill in (the template itself, missing ones, a bad attempt) are refused', async () => {
    const template = JSON.parse(schedulerInputTemplate({ report: 'daily' }))

    const unfilled = await run(schedulerInput(Report), template)
    const missing = await run(schedulerInput(Report), { report: 'daily', scheduler: { scheduleArn: 'arn' } })
    const badAttempt = await run(
      schedulerInput(Report),
      deliver(JSON.stringify(template), { ...filledIn, attemptNumber: 0 }),
    )
    const notObject = await run(schedulerInput(Report), { report: 'daily', scheduler: 'x' })

    expect(unfilled.error?.issues).toHaveLength(4)
    expect(unfilled.error?.message).toMatch(
      /^The EventBridge Scheduler input's context attributes did not pass validation: scheduler\.scheduleArn: expected the value Scheduler fills in/,
    )
    expect(missing.error?.issues.map((issue) => issue.path.join('.'))).toEqual([
      'scheduler.scheduledTime',
      'scheduler.executionId',
      'scheduler.attemptNumber',
    ])
    expect(badAttempt.error?.issues).toEqual([
      { path: ['scheduler', 'attemptNumber'], message: 'expected a whole number from 1' },
    ])
    expect(notObject.error?.issues).toHaveLength(4)
  })

  test('a schema that is not a Standard Schema throws a TypeError at init', () => {
    expect(() => schedulerInput({} as never)).toThrow(/takes a Standard Schema v1/)
  })
})

describe('schedulerInputTemplate(input)', () => {
  test('is your input as JSON with the four context keywords under "scheduler"', () => {
    expect(JSON.parse(schedulerInputTemplate({ report: 'daily' }))).toEqual({
      report: 'daily',
      scheduler: {
        scheduleArn: '<aws.scheduler.schedule-arn>',
        scheduledTime: '<aws.scheduler.scheduled-time>',
        executionId: '<aws.scheduler.execution-id>',
        attemptNumber: '<aws.scheduler.attempt-number>',
      },
    })
    expect(JSON.parse(schedulerInputTemplate())).toEqual({ scheduler: schedulerContextAttributes })
  })

  test('refuses an input that is not an object, or that uses the "scheduler" key itself', () => {
    expect(() => schedulerInputTemplate([] as never)).toThrow(/takes your input as a plain object/)
    expect(() => schedulerInputTemplate({ scheduler: 1 })).toThrow(/"scheduler" is where the context attributes go/)
  })
})
