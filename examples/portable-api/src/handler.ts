// AWS Lambda: the handler as it is (template.yaml: Handler: handler.handler).
export { handler } from './app.js'
