import { checkMatrix, euclideanNorm, type Matrix } from './matrix.js';

/**
 * NC3 (self-duality of the last layer): ‖Wᵀ/‖W‖_F − M/‖M‖_F‖_F with W the K×D classifier and M the D×K
 * centered class means, passed here as their transpose: the K×D matrix whose row c is μ_c − μ_G (the
 * `centeredClassMeans` of a collapse result). Ranges over [0, 2]; null if W or M is zero.
 * @throws RangeError if the shapes differ or a matrix is malformed.
 */
export function nc3(classifier: Matrix, centeredClassMeans: Matrix): number | null {
  checkMatrix(classifier, 'nc3');
  checkMatrix(centeredClassMeans, 'nc3');
  if (classifier.rows !== centeredClassMeans.rows || classifier.cols !== centeredClassMeans.cols) {
    throw new RangeError(
      `nc3: classifier is ${classifier.rows}×${classifier.cols} but the centered class means are ${centeredClassMeans.rows}×${centeredClassMeans.cols}`,
    );
  }
  const w = classifier.data;
  const m = centeredClassMeans.data;
  const wNorm = euclideanNorm(w, 0, w.length);
  const mNorm = euclideanNorm(m, 0, m.length);
  if (wNorm === 0 || mNorm === 0) return null;
  const difference = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) difference[i] = w[i] / wNorm - m[i] / mNorm;
  return euclideanNorm(difference, 0, difference.length);
}
