import { InvalidArgumentError } from '@argmin/core';
import { expectAllClose } from '@argmin/core/testing';
import { describe, expect, it } from 'vitest';
import reference from './__fixtures__/pot-reference.json';
import { euclideanCost, gridCost, squaredEuclideanCost } from './cost';

const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, label: string) =>
  expect(() => expectAllClose(actual, expected, { relative: 1e-12, absolute: 1e-14, label })).not.toThrow();

describe('cost builders equal POT ot.dist (generate-pot-reference.py)', () => {
  const c = reference.costs;
  const X = { rows: c.rows, cols: c.dim, data: Float64Array.from(c.X) };
  const Y = { rows: c.cols, cols: c.dim, data: Float64Array.from(c.Y) };
  it('squared Euclidean, plain and normalized by its max', () => {
    const C = squaredEuclideanCost(X, Y);
    expect([C.rows, C.cols]).toEqual([c.rows, c.cols]);
    close(C.data, c.sqeuclidean, 'sqeuclidean');
    close(squaredEuclideanCost(X, Y, { normalize: true }).data, c.sqeuclideanNormalized, 'normalized');
  });
  it('Euclidean, plain and normalized by its max', () => {
    close(euclideanCost(X, Y).data, c.euclidean, 'euclidean');
    close(euclideanCost(X, Y, { normalize: true }).data, c.euclideanNormalized, 'normalized');
  });
  it('1-D grid costs on [0, 1] (power 1 and 2)', () => {
    close(gridCost([6], { power: 1 }).data, c.grid1dPower1, 'grid 1-D power 1');
    close(gridCost([6], { power: 2 }).data, c.grid1dPower2, 'grid 1-D power 2');
  });
  it('2-D grid costs on [0, 1]² with row-major cells (l1 ground metric for power 1)', () => {
    close(gridCost([3, 4], { power: 1 }).data, c.grid2dPower1, 'grid 2-D power 1');
    close(gridCost([3, 4], { power: 2 }).data, c.grid2dPower2, 'grid 2-D power 2');
    close(gridCost([3, 4], { power: 2, normalize: true }).data, c.grid2dPower2Normalized, 'normalized');
  });
});

describe('cost builders reject bad input', () => {
  it('clouds of different dimensions', () => {
    const X = { rows: 2, cols: 2, data: new Float64Array(4) };
    const Y = { rows: 2, cols: 3, data: new Float64Array(6) };
    expect(() => squaredEuclideanCost(X, Y)).toThrowError(InvalidArgumentError);
    expect(() => squaredEuclideanCost(X, Y)).toThrowError(/same dimension.*\[2, 2\].*\[2, 3\]/);
  });
  it('NaN coordinates, naming the row', () => {
    const X = { rows: 2, cols: 2, data: Float64Array.from([0, 1, Number.NaN, 2]) };
    expect(() => euclideanCost(X, X)).toThrowError(/must be finite; got NaN at row 1/);
  });
  it('grid shapes that are not [n] or [rows, cols] of positive integers', () => {
    expect(() => gridCost([])).toThrowError(InvalidArgumentError);
    expect(() => gridCost([2, 2, 2])).toThrowError(InvalidArgumentError);
    expect(() => gridCost([2.5])).toThrowError(/positive integers/);
  });
  it('a zero cost stays zero when normalized (no division by zero)', () => {
    const X = { rows: 2, cols: 1, data: Float64Array.from([1, 1]) };
    expect(Array.from(squaredEuclideanCost(X, X, { normalize: true }).data)).toEqual([0, 0, 0, 0]);
  });
});
