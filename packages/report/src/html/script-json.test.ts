import { describe, expect, it } from 'vitest';
import { escapeHtml } from './escape-html.js';
import { scriptJson } from './script-json.js';

describe('scriptJson', () => {
  it('escapes everything that could end or alter a script element, and round-trips', () => {
    const value = { name: '</script><img src=x onerror=alert(1)><!-- & \u2028\u2029', n: [1, 2.5] };
    const text = scriptJson(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('writes non-finite numbers as null, like JSON', () => {
    expect(JSON.parse(scriptJson({ a: Number.NaN, b: Infinity }))).toEqual({ a: null, b: null });
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(3)).toBe('3');
  });
});
