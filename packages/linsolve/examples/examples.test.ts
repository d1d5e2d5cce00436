import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

describe('examples', () => {
  it("solve-poisson.ts is the README's example and prints what the README says", async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const source = readFileSync(new URL('./solve-poisson.ts', import.meta.url), 'utf8');
    const blocks = [...readme.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], body: m[2] }));
    const code = blocks.find((b) => b.lang === 'ts');
    const output = blocks.find((b) => b.lang === 'text');
    expect(code?.body).toBe(source.replace("from '../src/index';", "from '@argmin/linsolve';"));
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.join(' '));
    });
    try {
      await import('./solve-poisson');
    } finally {
      log.mockRestore();
    }
    expect(printed).toEqual(output?.body.trimEnd().split('\n'));
    // what the example demonstrates: IC(0) cuts CG's iterations, recycling cuts the sequence's matvecs
    const [cgLine, , skrLine] = printed.map((line) => line.split(' '));
    expect(cgLine[0]).toBe('converged');
    expect(Number(cgLine[2])).toBeLessThan(Number(cgLine[1]));
    expect(skrLine[0]).toBe('converged');
    expect(Number(skrLine[2])).toBeLessThan(Number(skrLine[1]));
  });
  it('least-squares.ts: every solver recovers the consistent solution; sketching counts its work', async () => {
    const printed = await capture(() => import('./least-squares'));
    expect(printed).toHaveLength(5);
    for (const line of printed) {
      const [, status, , last] = line.split(' ');
      expect(status).toBe('converged');
      expect(Number(last)).toBeCloseTo(19 / 20, 5);
    }
  });
  it('recycling.ts: recycled solves converge with fewer matvecs than GMRES once a space is carried', async () => {
    const printed = await capture(() => import('./recycling'));
    expect(printed).toHaveLength(4);
    const rows = printed.map((line) => line.split(' '));
    for (const row of rows) expect(row.slice(3)).toEqual(['converged', 'converged']);
    for (const row of rows.slice(1)) expect(Number(row[1])).toBeLessThan(Number(row[0]));
  });
});

async function capture(load: () => Promise<unknown>): Promise<string[]> {
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(args.join(' '));
  });
  try {
    await load();
  } finally {
    log.mockRestore();
  }
  return printed;
}
