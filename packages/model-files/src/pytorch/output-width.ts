/**
 * The classifier width a state dict reveals, by a conservative rule: state dicts carry no graph, so the only
 * evidence is the order of the keys and their names.
 */

/** Module names of classifier heads (torchvision, timm, Hugging Face transformers). */
const HEAD = /^(classifier|fc|head|heads|lm_head|logits|score|cls|classification_head)$/;

/**
 * Rows of the last dense (2-D, non-embedding) matrix in file order when its key names a classifier head (a
 * module path segment such as `fc`, `classifier`, `head`, `lm_head`: `fc.weight`, `classifier.6.weight`,
 * `heads.head.weight`), else null. Files written in sorted key order (the `safetensors` package sorts by name)
 * often have no head last; then null, rather than a guess.
 */
export function classifierOutputWidth(matrices: Iterable<{ readonly name: string; readonly role: string; readonly rows: number }>): number | null {
  let last: { readonly name: string; readonly rows: number } | null = null;
  for (const m of matrices) if (m.role === 'dense') last = m;
  if (!last || !/weight$/.test(last.name)) return null;
  const modules = last.name.split('.').slice(0, -1);
  return modules.some((segment) => HEAD.test(segment)) ? last.rows : null;
}
