import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/argmin-error';
import { asDenseMatrix, asVec, fromNdArray, vecToNdArray } from './index';

describe('@argmin/core/ndarray adapters', () => {
  it('asVec shares a contiguous Float64Array view, honouring its offset', () => {
    const buffer = Float64Array.of(9, 1, 2, 3);
    const view = ndarray(buffer, [3], [1], 1);
    const x = asVec(view);
    expect(Array.from(x)).toEqual([1, 2, 3]);
    x[0] = 7;
    expect(buffer[1]).toBe(7);
  });

  it('asVec copies a strided view, a Float32Array view and a plain array', () => {
    const strided = ndarray(Float64Array.of(1, 0, 2, 0, 3, 0), [3], [2]);
    expect(Array.from(asVec(strided))).toEqual([1, 2, 3]);
    expect(Array.from(asVec(ndarray(Float32Array.of(0.5, 1.5), [2])))).toEqual([0.5, 1.5]);
    expect(Array.from(asVec([4, 5]))).toEqual([4, 5]);
  });

  it('asVec rejects a 2-D view and a non-number entry, naming the problem', () => {
    expect(() => asVec(ndarray(new Float64Array(4), [2, 2]))).toThrow(
      /expected a 1-D ndarray; got shape \[2, 2\]/,
    );
    expect(() => asVec(['1', 2] as unknown as number[])).toThrow(InvalidArgumentError);
  });

  it('asDenseMatrix shares a row-major view, copies a transposed one and accepts number[][]', () => {
    const data = Float64Array.of(1, 2, 3, 4, 5, 6);
    const shared = asDenseMatrix(ndarray(data, [2, 3]));
    expect(shared.data).toBe(data);
    const transposed = asDenseMatrix(ndarray(data, [2, 3]).transpose(1, 0));
    expect(transposed).toEqual({ rows: 3, cols: 2, data: Float64Array.of(1, 4, 2, 5, 3, 6) });
    expect(
      asDenseMatrix([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    ).toEqual({ rows: 2, cols: 3, data });
    expect(asDenseMatrix(shared)).toBe(shared);
  });

  it('asDenseMatrix rejects ragged rows with the row index', () => {
    expect(() => asDenseMatrix([[1, 2], [3]])).toThrow(/row 1 has 1 entries but row 0 has 2/);
  });

  it('vecToNdArray and fromNdArray round-trip without copying', () => {
    const x = Float64Array.of(1, 2, 3, 4);
    const view = vecToNdArray(x);
    expect(view.data).toBe(x);
    expect(fromNdArray(ndarray(view.data, [2, 2])).data).toBe(x);
  });
});
