/**
 * How a constant Einsum operand reads as a matrix: its labels kept in the output but absent from the other
 * operands are the rows (outputs), the labels summed away are the columns (inputs), and labels shared with
 * another operand and kept in the output are batch axes (one matrix each). `bhd,hde->bhe` with `hde`
 * constant gives one e × d matrix per head h.
 */

export type EinsumLayout =
  | { readonly kind: 'matrix'; readonly rows: number[]; readonly cols: number[]; readonly batch: number[] }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'invalid'; readonly problem: string };

/**
 * @param equation the node's `equation` attribute
 * @param operand which input is the constant
 * @param inputs how many inputs the node has
 * @param rank the constant's rank
 */
export function einsumLayout(equation: string, operand: number, inputs: number, rank: number): EinsumLayout {
  const compact = equation.replace(/\s+/g, '');
  const [lhs, explicit] = compact.split('->');
  const operands = lhs.split(',');
  if (operands.length !== inputs) return { kind: 'invalid', problem: `equation "${equation}" has ${operands.length} operands for ${inputs} inputs` };
  const labels = operands[operand];
  if (labels.includes('.')) return { kind: 'skip', reason: `operand ${operand} of Einsum "${equation}" has an ellipsis (broadcast axes), which is not read as a matrix` };
  if (!/^[a-zA-Z]*$/.test(labels) || (explicit !== undefined && !/^[a-zA-Z.]*$/.test(explicit))) return { kind: 'invalid', problem: `equation "${equation}" has characters other than letters, ",", "->" and "..."` };
  if (labels.length !== rank) return { kind: 'invalid', problem: `operand ${operand} of equation "${equation}" has ${labels.length} labels for a tensor of rank ${rank}` };
  if (new Set(labels).size !== labels.length) return { kind: 'skip', reason: `operand ${operand} of Einsum "${equation}" repeats a label (a diagonal), which is not read as a matrix` };
  if (inputs < 2) return { kind: 'skip', reason: `Einsum "${equation}" has one operand: nothing multiplies it` };
  const output = explicit ?? implicitOutput(operands);
  const others = new Set(operands.filter((_, i) => i !== operand).join(''));
  const rows: number[] = [];
  const cols: number[] = [];
  const batch: number[] = [];
  [...labels].forEach((label, axis) => {
    if (!output.includes(label)) cols.push(axis);
    else if (others.has(label)) batch.push(axis);
    else rows.push(axis);
  });
  if (rows.length === 0 || cols.length === 0) {
    return { kind: 'skip', reason: `operand ${operand} of Einsum "${equation}" has ${rows.length === 0 ? 'no label of its own in the output' : 'no summed label'}: a scale or a vector, not a matrix` };
  }
  return { kind: 'matrix', rows, cols, batch };
}

/** Without "->", the output holds the labels that occur once, in alphabetical order (the ONNX rule). */
function implicitOutput(operands: string[]): string {
  const counts = new Map<string, number>();
  for (const label of operands.join('')) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts].filter(([label, n]) => n === 1 && label !== '.').map(([label]) => label).sort().join('');
}
