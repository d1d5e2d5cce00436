import { describe, expect, it } from 'vitest';
import { parsePipelineText, runPipeline, validatePipeline } from './compose/pipeline';
import { ArgminError, InvalidOptionsError } from './errors/argmin-error';
import { corePlugins, lbfgs } from './methods/index';
import { lbfgsOptions } from './methods/lbfgs';
import { coreProblems } from './problems/index';
import { rosenbrock } from './problems/rosenbrock';
import { parseOptions } from './registry/options';
import { solve } from './solve/solve';
import { maxIterations } from './solve/stop-when';

/**
 * Issue 13 asks to keep what held: pipeline files and option objects with `__proto__`,
 * `constructor` or `prototype` keys never pollute Object.prototype, and are refused by name.
 */

const hostile = [
  '{"__proto__": {"polluted": "yes"}, "problem": {"id": "core/rosenbrock"}, "stages": []}',
  '{"problem": {"id": "core/rosenbrock", "options": {"__proto__": {"polluted": "yes"}}}, "stages": [{"method": "core/lbfgs"}]}',
  '{"problem": {"id": "core/rosenbrock"}, "stages": [{"method": "core/lbfgs", "options": {"constructor": {"prototype": {"polluted": "yes"}}}}]}',
  '{"problem": {"id": "core/rosenbrock"}, "stages": [{"method": "core/lbfgs", "options": {"__proto__": {"polluted": "yes"}}}]}',
];
const hostileYaml = [
  '__proto__:\n  polluted: yes\nproblem:\n  id: core/rosenbrock\nstages: []\n',
  'problem:\n  id: core/rosenbrock\nstages:\n  - method: core/lbfgs\n    options:\n      __proto__:\n        polluted: yes\n',
];

function notPolluted(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
}

describe('no prototype pollution', () => {
  it('from hostile pipeline files (JSON and YAML), whether they validate, run or fail', () => {
    const texts: [string, 'json' | 'yaml'][] = [
      ...hostile.map((t) => [t, 'json'] as [string, 'json']),
      ...hostileYaml.map((t) => [t, 'yaml'] as [string, 'yaml']),
    ];
    for (const [text, format] of texts) {
      try {
        const validated = validatePipeline(parsePipelineText(text, format), {
          methods: [...corePlugins],
          problems: [...coreProblems],
        });
        runPipeline(validated);
      } catch (error) {
        expect(ArgminError.isInstance(error), `${text}: ${String(error)}`).toBe(true);
      }
      notPolluted();
    }
  });
  it('from option objects with __proto__ or constructor keys', () => {
    for (const text of [
      '{"__proto__": {"polluted": "yes"}}',
      '{"constructor": {"prototype": {"polluted": "yes"}}}',
    ]) {
      try {
        parseOptions('core/lbfgs', lbfgsOptions, JSON.parse(text));
      } catch (error) {
        expect(ArgminError.isInstance(error)).toBe(true);
      }
      notPolluted();
    }
  });
  it('from solve options: an own __proto__ key is refused by name', () => {
    const options = JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": 1}');
    let error: unknown;
    try {
      solve(lbfgs(), rosenbrock(2), Float64Array.of(-1.2, 1), { ...options, stopWhen: maxIterations(3) });
    } catch (caught) {
      error = caught;
    }
    expect(InvalidOptionsError.isInstance(error)).toBe(true);
    expect((error as InvalidOptionsError).issues.map((i) => i.path)).toEqual(['__proto__', 'constructor']);
    expect((error as Error).message).not.toContain('[object');
    notPolluted();
  });
  it('the suggestion table is never read through Object.prototype', () => {
    for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(() => parseOptions('core/lbfgs', lbfgsOptions, { [key]: 1 })).toThrow(/unknown option/);
    }
  });
});
