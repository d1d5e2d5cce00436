import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

// The root README's code is the example the test suite runs, and the numbers in its comments are
// what that example prints.
const root = resolve(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const quickStartPath = join(root, 'packages/core/examples/quick-start.ts');

describe('root README', () => {
  it('has exactly one TypeScript snippet, identical to packages/core/examples/quick-start.ts', () => {
    expect(blocks).toHaveLength(1);
    const example = readFileSync(quickStartPath, 'utf8')
      .split('\n')
      .filter((line) => !line.startsWith("// The README's quick start") && !line.startsWith('export {'))
      .join('\n')
      .trim();
    expect(blocks[0].trim()).toBe(example);
  });

  it('states the status and iteration count the quick start prints', async () => {
    const stated = blocks[0].match(/\/\/ '(\w+)' (\d+)/);
    expect(stated, "the snippet's comment names the status and the iteration count").not.toBeNull();
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { result } = (await import(quickStartPath)) as {
      result: { status: string; iterations: number; info: { value: number }; x: Float64Array };
    };
    log.mockRestore();
    expect(result.status).toBe(stated?.[1]);
    expect(result.iterations).toBe(Number(stated?.[2]));
    expect(result.info.value).toBeLessThan(1e-12); // "≈ 0"
    expect(result.x[0]).toBeCloseTo(1, 8); // "≈ 1"
  }, 30_000);

  it('points to no measured number by hand: results come from apps/docs/data/results.json', () => {
    expect(readme).not.toMatch(/this 2-core machine|in about \d+ s/);
    expect(readme).toContain('scripts/record-results.mjs');
  });
});
