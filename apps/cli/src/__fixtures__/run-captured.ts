import { runCli } from '../run-cli.js';

/** Runs the command in-process with captured output. */
export async function runCaptured(args: readonly string[], cwd = process.cwd()): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    cwd,
    isTTY: false,
  });
  return { code, stdout, stderr };
}
