/** Keeps credentials of queue URLs out of logs and error messages. */

const MASK = '***';

/**
 * The URL with its password (and any `password=`/`token=`-style query values) replaced by `***`; the user
 * name, host, port and database stay visible so a log still says where it connected. Text that does not
 * parse as a URL is masked after the last `:` of any `user:secret@` part.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = MASK;
    else if (parsed.username && !parsed.password && /^rediss?:$/.test(parsed.protocol) && url.includes(`${parsed.username}@`)) {
      // redis://secret@host: ioredis reads a lone user-info part as the password.
      parsed.username = MASK;
    }
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass|secret|token|key|auth/i.test(key)) parsed.searchParams.set(key, MASK);
    }
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^/@:]*):[^/@]*@/, `//$1:${MASK}@`).replace(/\/\/([^/@:]+)@/, `//${MASK}@`);
  }
}

/**
 * Removes every secret of `url` (password, lone user-info, secret query values, raw and percent-decoded) from
 * free text such as a driver's error message.
 */
export function redactSecrets(text: string, url: string): string {
  const secrets = new Set<string>();
  try {
    const parsed = new URL(url);
    if (parsed.password) secrets.add(parsed.password);
    else if (parsed.username && url.includes(`${parsed.username}@`) && /^rediss?:$/.test(parsed.protocol)) secrets.add(parsed.username);
    for (const [key, value] of parsed.searchParams) if (/pass|secret|token|key|auth/i.test(key) && value) secrets.add(value);
  } catch {
    const match = /\/\/[^/@:]*:([^/@]+)@/.exec(url);
    if (match) secrets.add(match[1]);
  }
  let out = text.split(url).join(redactUrl(url));
  for (const secret of secrets) {
    for (const form of new Set([secret, safeDecode(secret), encodeURIComponent(safeDecode(secret))])) {
      if (form.length > 0) out = out.split(form).join(MASK);
    }
  }
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
