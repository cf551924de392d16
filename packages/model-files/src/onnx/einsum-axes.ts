/**
 * How an Einsum reads one of its operands as a matrix: the operand's axes that the other operands share and
 * the output drops are contracted (columns), the axes only it and the output have are its outputs (rows), the
 * axes all three share are a batch (one matrix per index).
 */

/** The operand's axes by what they do, as indices into its subscript. */
export interface EinsumAxes {
  readonly rows: number[];
  readonly cols: number[];
  readonly batch: number[];
}

/**
 * Splits operand `operand`'s axes of `equation`.
 * @returns the axes, or a string saying why the operand is not a matrix of this product (ellipsis or a repeated
 * letter in it, an axis summed by it alone, nothing contracted).
 * @throws Error when the equation is malformed or does not have the operand.
 */
export function einsumAxes(equation: string, operand: number): EinsumAxes | string {
  const eq = equation.replace(/\s+/g, '');
  const [lhs, rhs] = eq.includes('->') ? eq.split('->') : [eq, undefined];
  const terms = lhs.split(',');
  if (operand >= terms.length) throw new Error(`equation "${equation}" has ${terms.length} operands, not ${operand + 1}`);
  if (!/^([a-zA-Z]|\.\.\.)*$/.test(rhs ?? '') || terms.some((t) => !/^([a-zA-Z]|\.\.\.)*$/.test(t))) throw new Error(`equation "${equation}" is not an einsum equation`);
  const own = terms[operand];
  if (own.includes('...')) return `its subscript "${own}" has an ellipsis`;
  const letters = [...own];
  if (new Set(letters).size !== letters.length) return `its subscript "${own}" repeats a letter (a diagonal)`;
  const others = new Set(terms.filter((_, i) => i !== operand).flatMap((t) => [...t.replace(/\.\.\./g, '')]));
  const output = new Set(rhs !== undefined ? [...rhs.replace(/\.\.\./g, '')] : implicitOutput(terms));
  const axes: EinsumAxes = { rows: [], cols: [], batch: [] };
  for (const [k, letter] of letters.entries()) {
    const inOthers = others.has(letter);
    const inOutput = output.has(letter);
    if (inOthers && inOutput) axes.batch.push(k);
    else if (inOthers) axes.cols.push(k);
    else if (inOutput) axes.rows.push(k);
    else return `axis "${letter}" of "${own}" is summed by this operand alone`;
  }
  if (axes.cols.length === 0) return `no axis of "${own}" is contracted with another operand`;
  return axes;
}

/** The output of an equation without `->`: the letters that occur once, in alphabetical order. */
function implicitOutput(terms: string[]): string[] {
  const counts = new Map<string, number>();
  for (const t of terms) for (const c of t.replace(/\.\.\./g, '')) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts].filter(([, n]) => n === 1).map(([c]) => c).sort();
}
