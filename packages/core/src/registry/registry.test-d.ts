import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { corePlugins } from '../methods/index';
import type { LbfgsState } from '../methods/lbfgs';
import type { Optimizer } from '../spec/optimizer';
import type { Oracle } from '../spec/oracle';
import { createRegistry } from './create-registry';
import { defineMethod } from './define-method';

const echo = defineMethod({
  meta: { id: 'test/echo', title: 'Echo', references: [] },
  options: z.strictObject({ scale: z.number().default(2) }),
  create: (options) => ({ scaled: options.scale }),
});
const registry = createRegistry([...corePlugins, echo]);

describe('registry types', () => {
  it('infers the id union from the plugin tuple', () => {
    expectTypeOf(registry.ids).toEqualTypeOf<
      readonly ('core/gradient-descent' | 'core/lbfgs' | 'test/echo')[]
    >();
  });
  it('types what create returns by id', () => {
    expectTypeOf(registry.create('test/echo', {})).toEqualTypeOf<{ scaled: number }>();
    expectTypeOf(registry.create('core/lbfgs', {})).toEqualTypeOf<
      Optimizer<Oracle<'value' | 'grad'>, LbfgsState>
    >();
  });
  it('types options by id (defaults optional)', () => {
    registry.create('core/lbfgs', { memory: 5 });
    registry.create('test/echo');
    // @ts-expect-error: unknown id
    registry.create('core/lbgfs', {});
    // @ts-expect-error: unknown option key
    registry.create('core/lbfgs', { memroy: 5 });
    // @ts-expect-error: wrong option type
    registry.create('test/echo', { scale: 'big' });
  });
  it('keeps the literal id on defineMethod', () => {
    expectTypeOf(echo.meta.id).toEqualTypeOf<'test/echo'>();
  });
});

describe('Oracle capability types', () => {
  it('requires the listed capabilities and makes the others optional', () => {
    type Smooth = Oracle<'value' | 'grad'>;
    expectTypeOf<Smooth['grad']>().toEqualTypeOf<(x: Float64Array, out: Float64Array) => Float64Array>();
    expectTypeOf<Smooth['hvp']>().toEqualTypeOf<
      ((x: Float64Array, v: Float64Array, out: Float64Array) => Float64Array) | undefined
    >();
    // @ts-expect-error: grad is required
    const missing: Smooth = { dimension: 1, value: () => 0 };
    void missing;
  });
});
