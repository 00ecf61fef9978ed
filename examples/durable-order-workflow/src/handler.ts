// The deployed workflow (template.yaml: OrderWorkflowFunction, with DurableConfig).
import { localServices } from './services.js'
import { orderWorkflow } from './workflow.js'

// Replace localServices() with your inventory, payment provider and carrier clients.
export const handler = orderWorkflow(localServices((line) => console.log(line)))
