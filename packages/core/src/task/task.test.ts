import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/argmin-error';
import { defineExperiment, verdictFrom } from '../experiment/define-experiment';
import { executeTask } from './execute';
import { sha256Hex } from './hash';
import { canonicalJson, defineTask, expandSweep } from './task';

describe('sha256Hex', () => {
  it('matches the FIPS 180-4 test vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    // multi-byte UTF-8 (2, 3 and 4 bytes) across several blocks; golden value from Python's hashlib:
    // hashlib.sha256(('é€😀' * 40).encode()).hexdigest()
    expect(sha256Hex('é€😀'.repeat(40))).toBe(
      '4d848e45371546de1f684401d0cbd19b40d60818463556ac514bf9d33ada7332',
    );
  });
});

describe('tasks', () => {
  it('ids are content hashes: key order does not matter, content does', () => {
    const a = defineTask({ kind: 'function', name: 'f', args: { b: 1, a: [1, 2] } });
    const b = defineTask({ args: { a: [1, 2], b: 1 }, name: 'f', kind: 'function' } as never);
    const c = defineTask({ kind: 'function', name: 'f', args: { b: 2, a: [1, 2] } });
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(c.id);
    expect(a.id).toMatch(/^[0-9a-f]{64}$/);
  });
  it('canonical JSON sorts keys, keeps array order, writes non-finite numbers as strings', () => {
    expect(canonicalJson({ b: [3, 1], a: { d: 1, c: Number.NaN } })).toBe(
      '{"a":{"c":"NaN","d":1},"b":[3,1]}',
    );
  });
  it('bad specs are named errors', () => {
    expect(() => defineTask({ kind: 'experiment', id: 'x', size: 'quick', seed: 0 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => defineTask({ kind: 'experiment', id: 'a/b', size: 'huge' as never, seed: 0 })).toThrow(
      /size/,
    );
    expect(() => defineTask({ kind: 'nope' } as never)).toThrow(/unknown task kind/);
  });
  it('a sweep expands to the Cartesian product in a stable order, seeds innermost', () => {
    const tasks = expandSweep({
      base: { kind: 'function', name: 'f', args: { rate: 0, depth: 1 } },
      grid: { 'args.rate': [0.1, 0.2], 'args.depth': [1, 2, 3] },
    });
    expect(tasks).toHaveLength(6);
    expect(tasks.map((t) => t.point)).toEqual([
      { 'args.depth': 1, 'args.rate': 0.1 },
      { 'args.depth': 1, 'args.rate': 0.2 },
      { 'args.depth': 2, 'args.rate': 0.1 },
      { 'args.depth': 2, 'args.rate': 0.2 },
      { 'args.depth': 3, 'args.rate': 0.1 },
      { 'args.depth': 3, 'args.rate': 0.2 },
    ]);
    const seeded = expandSweep({
      base: { kind: 'experiment', id: 'a/b', size: 'quick', seed: 0 },
      seeds: [0, 1, 2],
    });
    expect(seeded.map((t) => (t.spec as { seed: number }).seed)).toEqual([0, 1, 2]);
    expect(new Set(seeded.map((t) => t.id)).size).toBe(3);
  });
  it('a sweep path that does not exist or targets a prototype is refused', () => {
    expect(() =>
      expandSweep({ base: { kind: 'function', name: 'f', args: {} }, grid: { 'args.a.b': [1] } }),
    ).toThrow(/does not exist/);
    expect(() =>
      expandSweep({ base: { kind: 'function', name: 'f', args: {} }, grid: { '__proto__.x': [1] } }),
    ).toThrow(/not allowed/);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('executeTask', () => {
  const experiment = defineExperiment({
    id: 'test/echo',
    title: 'echo',
    paper: { title: 'none' },
    claim: 'returns its seed',
    run: (context) => ({
      rows: [{ seed: context.seed, draw: context.rng.uniform() }],
      series: [],
      verdict: verdictFrom({
        value: context.seed,
        holds: true,
        measured: String(context.seed),
        threshold: 'any',
      }),
    }),
  });
  const environment = { runner: 'in-process' };
  it('runs experiments and functions, and the same task gives the same result bits', async () => {
    const task = defineTask({ kind: 'experiment', id: 'test/echo', size: 'quick', seed: 5 });
    const a = await executeTask(task, { experiments: [experiment] }, { environment });
    const b = await executeTask(task, { experiments: [experiment] }, { environment });
    expect(a.status).toBe('ok');
    expect(JSON.stringify(a.result)).toBe(JSON.stringify(b.result));
    const f = await executeTask(
      defineTask({ kind: 'function', name: 'square', args: { x: 3 } }),
      {
        functions: {
          square: (args) => ({ y: (args as { x: number }).x ** 2, v: Float64Array.of(1, 2) as never }),
        },
      },
      { environment },
    );
    expect(f.result).toEqual({ v: [1, 2], y: 9 });
  });
  it('a failing or unknown task is an error record, not a throw', async () => {
    const unknown = await executeTask(
      defineTask({ kind: 'function', name: 'missing', args: null }),
      {},
      { environment },
    );
    expect(unknown.status).toBe('error');
    expect(unknown.error).toMatch(/unknown task function missing/);
    const throwing = await executeTask(
      defineTask({ kind: 'function', name: 'boom', args: null }),
      {
        functions: {
          boom: () => {
            throw new Error('bad');
          },
        },
      },
      { environment },
    );
    expect(throwing.error).toBe('Error: bad');
  });
});
