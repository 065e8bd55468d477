import path from 'node:path';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import floors from '../eslint-rules/layering.mjs';

const cwd = path.resolve(import.meta.dirname, '..');
const linter = new Linter({ cwd });
const config: Linter.Config[] = [
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { floors },
    rules: { 'floors/layering': 'error' },
  },
];

/** The layering messages ESLint reports for `code` placed at `file` (relative to the repository). */
function lint(file: string, code: string): string[] {
  return linter.verify(code, config, { filename: path.join(cwd, file) }).map((message) => message.message);
}

describe('the floors lint rule (npm run lint)', () => {
  it('refuses an import that climbs a floor, type-only imports included', () => {
    expect(lint('src/tasks/task.repository.ts', `import { WorkerService } from '../execution/worker.service.js';`)).toEqual([
      'src/tasks (floor 10) may not import src/execution (floor 5): imports go down the floors (docs/architecture.md).',
    ]);
    expect(
      lint('src/agents/agent-executor.ts', `import type { DelegationService } from '../delegation/delegation.service.js';`),
    ).toHaveLength(1);
    expect(lint('src/domains/crm/crm.supervisor.ts', `import { ApiModule } from '../../api/api.module.js';`)).toHaveLength(1);
  });

  it('refuses a domain importing another domain, and the shared kit importing a domain', () => {
    expect(
      lint('src/domains/billing/billing.supervisor.ts', `import { ProductEntity } from '../ecommerce/entities/product.entity.js';`),
    ).toEqual([
      'The billing domain may not import the ecommerce domain: share through src/domains/shared or reach it through the delegation registry.',
    ]);
    expect(
      lint('src/domains/shared/upstream-fetch.ts', `export { CustomerEntity } from '../crm/entities/customer.entity.js';`),
    ).toHaveLength(1);
  });

  it('allows imports down the floors, inside a folder, within a domain and into the shared kit', () => {
    expect(lint('src/execution/worker.service.ts', `import { TaskEntity } from '../tasks/entities/task.entity.js';`)).toEqual([]);
    expect(lint('src/api/tasks.controller.ts', `import { ExecutionService } from '../execution/execution.service.js';`)).toEqual([]);
    expect(
      lint('src/domains/crm/crm.supervisor.ts', `import { x } from './sync/crm-sync.js'; import { y } from '../shared/upstream-fetch.js';`),
    ).toEqual([]);
    expect(lint('src/common/problem.ts', `import { APP_CONFIG } from '../config/app-config.js';`)).toEqual([]);
    expect(lint('src/app.module.ts', `import { ApiModule } from './api/api.module.js';`)).toEqual([]);
  });

  it('names a folder that has no floor yet', () => {
    expect(lint('src/newthing/a.ts', `import { b } from '../tasks/task-type.js';`)).toEqual([
      'src/newthing has no floor: add it to eslint-rules/layering.mjs and docs/architecture.md.',
    ]);
  });
});
