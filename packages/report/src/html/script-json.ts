/**
 * JSON text that is safe inside an HTML `<script>` element: `<`, `>` and `&` become \u escapes (so no
 * `</script>` or `<!--` can end or alter the element), and so do U+2028/U+2029 (line terminators in older
 * JavaScript). The result still parses as the same JSON. Non-finite numbers become null, as in JSON.stringify.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
