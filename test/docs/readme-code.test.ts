// Every TypeScript block of every README compiles under the repo's strict settings (item 21):
// the blocks are read from the READMEs themselves, so there is no copy to drift.
import { describe, expect, it } from 'vitest'
import { checkReadmeCode, extractBlocks, readmeFiles } from '../../scripts/readme-code.ts'
import { repoRoot } from '../support/built-packages.ts'

describe('README code blocks', () => {
  it('extracts ts and typescript blocks with their README line, and skips the ones marked no-check', () => {
    // Prepare
    const markdown = [
      '# Title', // 1
      '```sh', // 2
      'npm test', // 3
      '```', // 4
      '```ts', // 5
      'const a: number = 1', // 6
      '```', // 7
      '```typescript', // 8
      'const b = 2', // 9
      'const c = 3', // 10
      '```', // 11
      '```ts no-check', // 12
      '.use(fragment())', // 13
      '```', // 14
    ].join('\n')
    // Act
    const blocks = extractBlocks(markdown, 'X/README.md')
    // Assess
    expect(blocks).toEqual([
      { readme: 'X/README.md', firstLine: 6, code: 'const a: number = 1', checked: true },
      { readme: 'X/README.md', firstLine: 9, code: 'const b = 2\nconst c = 3', checked: true },
      { readme: 'X/README.md', firstLine: 13, code: '.use(fragment())', checked: false },
    ])
  })

  it('finds the root README and every package and example README', async () => {
    const files = await readmeFiles(repoRoot)
    expect(files).toEqual(
      expect.arrayContaining(['README.md', 'packages/core/README.md', 'examples/api-backend/README.md']),
    )
  })

  it('compiles every TypeScript block of every README, errors at their README line', async () => {
    // Act
    const { checked, errors } = await checkReadmeCode(repoRoot)
    // Assess
    expect(checked.length).toBeGreaterThan(10)
    expect(errors).toEqual([])
  }, 120_000)
})
