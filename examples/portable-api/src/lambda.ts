// AWS Lambda: the handler as it is (template.yaml: Handler: lambda.handler).
export { handler } from './app.js'
