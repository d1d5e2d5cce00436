import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ArgminError,
  DuplicateIdError,
  InvalidArgumentError,
  InvalidOptionsError,
  UnknownMethodError,
  UnsupportedSpecVersionError,
} from '../errors/argmin-error';
import { corePlugins } from '../methods/index';
import { createRegistry } from './create-registry';
import { defineMethod } from './define-method';
import { describeOptions } from './options';

const grab = (run: () => unknown): Error => {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
};

const echo = defineMethod({
  meta: { id: 'test/echo', title: 'Echo', references: [], needs: ['grad'] },
  options: z.strictObject({
    scale: z.number().positive().default(2).describe('a scale'),
    label: z.string().optional().describe('a label'),
  }),
  create: (options) => options,
});
const stochastic = defineMethod({
  meta: { id: 'other/noisy', title: 'Noisy', references: [], stochastic: true, needs: ['sampleGrad'] },
  options: z.strictObject({}),
  create: () => 'noisy',
});

describe('createRegistry', () => {
  const registry = createRegistry([...corePlugins, echo, stochastic]);

  it('lists ids in registration order', () => {
    expect(registry.ids).toEqual(['core/gradient-descent', 'core/lbfgs', 'test/echo', 'other/noisy']);
  });
  it('creates a method with parsed options and defaults', () => {
    expect(registry.create('test/echo', {})).toEqual({ scale: 2 });
    expect(registry.create('test/echo', { scale: 3, label: 'x' })).toEqual({ scale: 3, label: 'x' });
  });
  it('fails on an unknown id with the list of registered ids and a suggestion', () => {
    const error = grab(() => registry.create('test/ecko' as never));
    expect(UnknownMethodError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      'Unknown method id "test/ecko". Did you mean "test/echo"? Registered ids: core/gradient-descent, core/lbfgs, test/echo, other/noisy.',
    );
  });
  it('fails on an unknown option key, naming it and listing the valid keys', () => {
    const error = grab(() => registry.create('test/echo', { scael: 1 } as never));
    expect(InvalidOptionsError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      'test/echo: invalid options: `scael`: unknown option (did you mean `scale`?). Valid options: scale, label.',
    );
    expect((error as InvalidOptionsError).issues).toEqual([
      { path: 'scael', message: 'unknown option (did you mean `scale`?)' },
    ]);
  });
  it('fails on a wrong option type, naming the key', () => {
    const error = grab(() => registry.create('test/echo', { scale: 'big' } as never));
    expect(error.message).toContain('`scale`: Invalid input: expected number, received string');
  });
  it('fails on an option out of range', () => {
    expect(grab(() => registry.create('core/lbfgs', { memory: 0 })).message).toContain('`memory`');
  });
  it('refuses a duplicate id instead of overwriting', () => {
    const error = grab(() => createRegistry([echo, echo]));
    expect(DuplicateIdError.isInstance(error)).toBe(true);
    expect(error.message).toContain('id "test/echo" is registered twice');
  });
  it('refuses a plugin with an unknown spec version, naming it', () => {
    const future = { ...echo, specVersion: 2 } as never;
    const error = grab(() => createRegistry([future]));
    expect(UnsupportedSpecVersionError.isInstance(error)).toBe(true);
    expect(error.message).toContain('plugin spec version 2 is not supported');
  });
  it('finds metadata by area, capability and stochastic flag', () => {
    expect(registry.find({ area: 'core' }).map((m) => m.id)).toEqual(['core/gradient-descent', 'core/lbfgs']);
    expect(registry.find({ needs: ['value', 'grad'] }).map((m) => m.id)).toEqual([
      'core/gradient-descent',
      'core/lbfgs',
      'test/echo',
    ]);
    expect(registry.find({ stochastic: true }).map((m) => m.id)).toEqual(['other/noisy']);
  });
  it('has() narrows and get() returns the plugin', () => {
    expect(registry.has('test/echo')).toBe(true);
    expect(registry.has('nope/nope')).toBe(false);
    expect(registry.get('test/echo')).toBe(echo);
  });
});

describe('defineMethod', () => {
  it('rejects an id that is not "<area>/<method>" in kebab-case', () => {
    for (const id of ['sinkhorn', 'OT/sinkhorn', 'ot/sinkhorn_log', 'ot/', 'a/b/c']) {
      const error = grab(() =>
        defineMethod({
          meta: { id, title: 't', references: [] },
          options: z.strictObject({}),
          create: () => 0,
        }),
      );
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect(error.message).toContain('must be "<area>/<method>" in kebab-case');
    }
  });
  it('rejects a non-strict options schema (unknown keys must be errors)', () => {
    const error = grab(() =>
      defineMethod({
        meta: { id: 'a/b', title: 't', references: [] },
        options: z.object({ x: z.number() }),
        create: () => 0,
      }),
    );
    expect(error.message).toBe(
      'defineMethod(a/b): the options schema must be strict (unknown keys are errors); build it with z.strictObject({...}).',
    );
  });
  it('stamps the spec version and freezes the plugin', () => {
    expect(echo.specVersion).toBe(1);
    expect(Object.isFrozen(echo)).toBe(true);
  });
});

describe('describeOptions', () => {
  it('lists name, type, default, required and description from the schema', () => {
    expect(describeOptions(echo.options)).toEqual([
      { name: 'scale', type: 'number', required: false, default: 2, description: 'a scale' },
      { name: 'label', type: 'string', required: false, default: undefined, description: 'a label' },
    ]);
  });
  it('describes every option of the core methods with a default', () => {
    for (const plugin of corePlugins) {
      for (const option of describeOptions(plugin.options)) {
        expect(option.description, `${plugin.meta.id}.${option.name}`).toBeTruthy();
        expect(option.default, `${plugin.meta.id}.${option.name}`).not.toBeUndefined();
      }
    }
  });
});

describe('errors', () => {
  it('isInstance recognizes an error from another copy of core by its Symbol.for marker', () => {
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('argmin.error')]: true,
      [Symbol.for('argmin.error.UnknownMethodError')]: true,
    });
    expect(ArgminError.isInstance(foreign)).toBe(true);
    expect(UnknownMethodError.isInstance(foreign)).toBe(true);
    expect(InvalidOptionsError.isInstance(foreign)).toBe(false);
    expect(ArgminError.isInstance(new Error('plain'))).toBe(false);
    expect(ArgminError.isInstance(null)).toBe(false);
  });
  it('subclasses are ArgminErrors with their name', () => {
    const error = new UnknownMethodError({ id: 'a/b', available: [] });
    expect(error).toBeInstanceOf(ArgminError);
    expect(error.name).toBe('UnknownMethodError');
    expect(error.message).toBe('Unknown method id "a/b". Registered ids: (none).');
  });
});
