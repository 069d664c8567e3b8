import { describe, expect, it } from 'vitest';
import { escapeHtml, styleSource } from '../../functions/adapters/html.js';
import { escapeHtml as localEscapeHtml, pageHeaders } from '../../local/html.js';

describe('escapeHtml', () => {
  it('escapes the five HTML specials and the backtick (old browsers end unquoted attributes at it)', () => {
    expect(escapeHtml('<a href="x" title=\'y\'>`&`</a>')).toBe(
      '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#96;&#38;&#96;&#60;/a&#62;',
    );
  });

  it('leaves other text as it is, non-ASCII included', () => {
    expect(escapeHtml('Résumé — 100 % (ok) ✓')).toBe('Résumé — 100 % (ok) ✓');
  });

  it('takes any value as text; nothing for null and undefined', () => {
    expect(escapeHtml(42)).toBe('42');
    expect(escapeHtml(false)).toBe('false');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(undefined)).toBe('');
  });

  it('is the one the local pages use', () => {
    expect(localEscapeHtml).toBe(escapeHtml);
  });
});

const SHA256_OF_BODY = 'fJgEClQWV1hGkK4qHMO0KotTsVnMYMXTq7/suurGyUo=';

describe('styleSource', () => {
  it("allows exactly the style it was given, by its SHA-256, in the local pages' policy", () => {
    // sha256('body{}') in base64, computed independently: printf 'body{}' | openssl dgst -sha256 -binary | base64
    expect(styleSource('body{}')).toBe(`'sha256-${SHA256_OF_BODY}'`);
    expect(pageHeaders('body{}')['content-security-policy']).toContain(`style-src 'sha256-${SHA256_OF_BODY}';`);
    expect(styleSource('body{ }')).not.toBe(styleSource('body{}'));
  });
});
