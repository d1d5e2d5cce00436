import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

const quiet = async <T>(load: () => Promise<T>): Promise<T> => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    return await load();
  } finally {
    log.mockRestore();
  }
};

describe('examples', () => {
  it('quick-start.ts (the README example, verbatim) converges on its own data with all three solvers', async () => {
    const source = readFileSync(new URL('./quick-start.ts', import.meta.url), 'utf8');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const body = source.replace(/\nexport \{[^}]*\};\n$/, '\n').trim();
    expect(readme).toContain(body);
    const { entropic, exact, newton } = await quiet(() => import('./quick-start'));
    expect(entropic.status).toBe('converged');
    expect(exact.status).toBe('converged');
    expect(newton.status).toBe('converged');
    // Entropic costs lie above the exact one; SNS and Sinkhorn solve the same entropic problem.
    expect(entropic.cost).toBeGreaterThanOrEqual(exact.cost - 1e-12);
    expect(Math.abs(newton.cost - entropic.cost)).toBeLessThan(1e-6);
  });
  it('sinkhorn-point-clouds.ts converges', async () => {
    const { result } = await quiet(() => import('./sinkhorn-point-clouds'));
    expect(result.status).toBe('converged');
  });
  it('emd-exact.ts: the entropic cost decreases toward the exact cost as ε shrinks', async () => {
    const { exact, entropic } = await quiet(() => import('./emd-exact'));
    expect(entropic[0]).toBeGreaterThan(entropic[1]);
    expect(entropic[1]).toBeGreaterThan(entropic[2]);
    expect(entropic[2]).toBeGreaterThanOrEqual(exact.cost - 1e-9);
    expect(entropic[2] - exact.cost).toBeLessThan(0.05 * exact.cost);
  });
  it('sns-vs-sinkhorn.ts: both converge to the same L1 test and SNS needs far fewer iterations', async () => {
    const { newton, baseline } = await quiet(() => import('./sns-vs-sinkhorn'));
    expect(newton.converged).toBe(true);
    expect(baseline.converged).toBe(true);
    expect(baseline.iterations / (newton.sinkhornIterations + newton.newtonIterations)).toBeGreaterThan(10);
  });
});
