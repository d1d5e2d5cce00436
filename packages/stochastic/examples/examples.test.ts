import { describe, expect, it, vi } from 'vitest';

describe('examples', () => {
  it('adam-logistic.ts: the plugin and the hand-built chain give the same bits', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { problem, viaPlugin, viaChain } = await import('./adam-logistic');
    log.mockRestore();
    expect(Array.from(viaPlugin.x)).toEqual(Array.from(viaChain.x));
    expect(problem.value(viaPlugin.x)).toBeLessThan(problem.value(new Float64Array(10)));
  });
  it('optax-loop.ts: a hand-driven Adam loop and AdaHessian on minibatches both lower the loss', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { adamLoss, adahessianLoss, problem } = await import('./optax-loop');
    log.mockRestore();
    const start = problem.value(new Float64Array(problem.dimension));
    expect(adamLoss).toBeLessThan(0.8 * start);
    expect(adahessianLoss).toBeLessThan(0.8 * start);
  });
});
