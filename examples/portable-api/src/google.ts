// Google Cloud Functions (Cloud Run functions): deploy with --entry-point=orders.
import * as functions from '@google-cloud/functions-framework'
import { toGoogleCloud } from '@lamina/gcp'
import { handler, timeoutMs } from './app.js'

functions.http('orders', toGoogleCloud(handler, { timeoutMs }))
