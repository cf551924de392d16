/** Escapes text for HTML element content and quoted attribute values (& < > " '). Non-strings are stringified. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
