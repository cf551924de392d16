import { describe, expect, it } from 'vitest';
import { redactSecrets, redactUrl } from './redact-url.js';

describe('redactUrl', () => {
  it('masks the password and keeps user, host, port and database', () => {
    expect(redactUrl('redis://alice:s3cr%40t@cache.example:6380/2')).toBe('redis://alice:***@cache.example:6380/2');
    expect(redactUrl('rediss://:hunter2@10.0.0.1:6379')).toBe('rediss://:***@10.0.0.1:6379');
  });

  it('masks a lone user-info part, which Redis clients read as the password', () => {
    expect(redactUrl('redis://hunter2@host:6379')).toBe('redis://***@host:6379');
  });

  it('masks secret query values and leaves URLs without secrets unchanged', () => {
    expect(redactUrl('redis://host:6379/0?password=abc&family=6')).toBe('redis://host:6379/0?password=***&family=6');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('masks credentials in text that is not a valid URL', () => {
    expect(redactUrl('redis://user:pa ss@ho st:1')).toBe('redis://user:***@ho st:1');
  });
});

describe('redactSecrets', () => {
  it('removes the password in every form from free text', () => {
    const url = 'rediss://bob:p%40ss%3Aw0rd@db.internal:6380';
    const message = `connect to ${url} failed: WRONGPASS for p@ss:w0rd (raw p%40ss%3Aw0rd)`;
    const clean = redactSecrets(message, url);
    expect(clean).toBe('connect to rediss://bob:***@db.internal:6380 failed: WRONGPASS for *** (raw ***)');
    expect(clean).not.toContain('w0rd');
  });
});
