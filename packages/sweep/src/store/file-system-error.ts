/** What a file-system error code means, in words. */
const WORDS: Record<string, string> = {
  EROFS: 'the file system is read-only (EROFS)',
  EACCES: 'permission denied (EACCES)',
  EPERM: 'operation not permitted (EPERM)',
  ENOSPC: 'no space left on the device (ENOSPC)',
  EDQUOT: 'the disk quota is exhausted (EDQUOT)',
  SQLITE_FULL: 'the disk is full (SQLite: database or disk is full)',
  SQLITE_READONLY: 'the file or its folder is read-only (SQLite: attempt to write a readonly database)',
  SQLITE_CANTOPEN: 'the file cannot be opened or created (SQLite: unable to open database file; is the folder writable?)',
};

const ADVICE: Record<string, string> = {
  EROFS: 'write to a folder on a writable file system',
  EACCES: 'write to a folder you may write to, or change its permissions',
  EPERM: 'write to a folder you may write to, or change its permissions',
  ENOSPC: 'free some space or write to another disk',
  EDQUOT: 'free some space or write to another disk',
  SQLITE_FULL: 'free some space or write to another disk',
  SQLITE_READONLY: 'write to a folder you may write to',
  SQLITE_CANTOPEN: 'write to a folder you may write to',
};

/**
 * "<path>: <what happened in words>; <what to do>" for the file-system errors a user can act on (read-only
 * file system, permissions, full disk), or undefined for any other error.
 */
export function fileSystemErrorText(error: unknown): string | undefined {
  const { code, path } = (error ?? {}) as { code?: unknown; path?: unknown };
  if (typeof code !== 'string') return undefined;
  const key = code.startsWith('SQLITE_') ? code.replace(/^(SQLITE_[A-Z]+).*$/, '$1') : code;
  const words = WORDS[key];
  if (!words) return undefined;
  return `${typeof path === 'string' ? `${path}: ` : ''}${words}; ${ADVICE[key]}`;
}
