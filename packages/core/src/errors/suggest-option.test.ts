import { describe, expect, it } from 'vitest';
import { suggestOption } from './argmin-error';

describe('suggestOption', () => {
  const keys = ['maxIterations', 'tolerance', 'regularization', 'learningRate', 'restart', 'batchSize'];
  it('maps scipy, POT and optax spellings to ours', () => {
    expect(suggestOption('maxiter', keys)).toBe('maxIterations');
    expect(suggestOption('numItermax', keys)).toBe('maxIterations');
    expect(suggestOption('tol', keys)).toBe('tolerance');
    expect(suggestOption('stopThr', keys)).toBe('tolerance');
    expect(suggestOption('reg', keys)).toBe('regularization');
    expect(suggestOption('lr', keys)).toBe('learningRate');
    expect(suggestOption('batch_size', keys)).toBe('batchSize');
  });
  it('finds case and separator variants and near misses', () => {
    expect(suggestOption('max_iterations', keys)).toBe('maxIterations');
    expect(suggestOption('tolerence', keys)).toBe('tolerance');
    expect(suggestOption('restrat', keys)).toBe('restart');
  });
  it('suggests nothing for an unrelated key or an alias whose target is not an option', () => {
    expect(suggestOption('colour', keys)).toBeUndefined();
    expect(suggestOption('lr', ['tolerance'])).toBeUndefined();
    expect(suggestOption('anything', [])).toBeUndefined();
  });
});
