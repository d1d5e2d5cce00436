import type { Oracle } from '../spec/oracle';
import type { Vec } from '../spec/vec';
import { assertInteger } from '../validate/validate';
import { pointGuard } from './guard';

/**
 * The n-dimensional Rosenbrock function (scipy.optimize.rosen):
 * f(x) = Σ_{i<n-1} 100 (x_{i+1} − x_i²)² + (1 − x_i)², minimized at x = 1 with f = 0.
 * Exact gradient and Hessian-vector product.
 */
export function rosenbrock(dimension = 2): Oracle<'value' | 'grad' | 'hvp'> {
  assertInteger('rosenbrock', 'dimension', dimension, 2);
  const n = dimension;
  const guard = pointGuard('rosenbrock', n);
  const value = (x: Vec): number => {
    guard.point('value', 'x', x);
    let f = 0;
    for (let i = 0; i < n - 1; i++) {
      const a = x[i + 1] - x[i] * x[i];
      const b = 1 - x[i];
      f += 100 * a * a + b * b;
    }
    return f;
  };
  const grad = (x: Vec, out: Vec): Vec => {
    guard.point('grad', 'x', x);
    guard.out('grad', out);
    out.fill(0, 0, n);
    for (let i = 0; i < n - 1; i++) {
      const a = x[i + 1] - x[i] * x[i];
      out[i] += -400 * x[i] * a - 2 * (1 - x[i]);
      out[i + 1] += 200 * a;
    }
    return out;
  };
  return {
    dimension: n,
    value,
    grad,
    valueAndGrad: (x, out) => {
      grad(x, out);
      return value(x);
    },
    hvp(x, v, out) {
      guard.point('hvp', 'x', x);
      guard.point('hvp', 'v', v);
      guard.out('hvp', out);
      // H is tridiagonal: H_ii = 1200 x_i² − 400 x_{i+1} + 2 (i < n−1) + 200 (i > 0); H_{i,i+1} = −400 x_i.
      out.fill(0, 0, n);
      for (let i = 0; i < n - 1; i++) {
        const diagonal = 1200 * x[i] * x[i] - 400 * x[i + 1] + 2;
        const off = -400 * x[i];
        out[i] += diagonal * v[i] + off * v[i + 1];
        out[i + 1] += off * v[i] + 200 * v[i + 1];
      }
      return out;
    },
  };
}
