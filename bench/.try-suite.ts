import { render } from './support/render.ts'
import { benchFiles, machine, runFile } from './support/suite.ts'

const files = []
for (const file of benchFiles()) files.push(await runFile(file, { quick: true, quiet: true }))
const run = { date: new Date().toISOString(), ...machine(), quick: false, files }
for (const f of files)
  console.log(f.file, f.ok, f.seconds.toFixed(1), f.scenarios.map((s) => s.id).join(','), f.failure ?? '')
process.env.RENDER_TEST = '1'
render([run])
