/**
 * Mel spectral convergence ||A - g B||_F / ||A||_F over the first `columns` columns, with g the
 * least-squares gain g = <A, B> / <B, B> (the image has no absolute level). Lower is better; 0 = same.
 * A and B are [row * widthA + column] and [row * widthB + column].
 */
export function spectralConvergence(a: Float32Array, widthA: number, b: Float32Array, widthB: number, rows: number, columns: number): number {
  let ab = 0, bb = 0, aa = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const x = a[r * widthA + c]!, y = b[r * widthB + c]!;
      ab += x * y; bb += y * y; aa += x * x;
    }
  }
  if (aa === 0) return bb === 0 ? 0 : Infinity;
  const g = bb > 0 ? ab / bb : 0;
  // ||A - gB||^2 = aa - 2 g ab + g^2 bb
  return Math.sqrt(Math.max(0, aa - 2 * g * ab + g * g * bb) / aa);
}
