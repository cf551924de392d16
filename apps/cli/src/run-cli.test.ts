import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured } from './__fixtures__/run-captured.js';
import { EXIT_CODES } from './exit-codes.js';

describe('command parsing and exit codes', () => {
  it('--help lists every command, examples and the exit codes, and exits 0', async () => {
    const { code, stdout } = await runCaptured(['--help']);
    expect(code).toBe(EXIT_CODES.ok);
    for (const command of ['sweep', 'worker', 'train', 'analyze', 'compress', 'report', 'export', 'backends']) expect(stdout).toContain(command);
    expect(stdout).toContain('Examples:');
    expect(stdout).toContain('Exit codes: 0 ok, 1 failure, 2 usage or configuration error, 3 some sweep trials');
  });

  it('each command has --help with examples', async () => {
    for (const command of ['sweep', 'train', 'analyze', 'compress', 'export']) {
      const { code, stdout } = await runCaptured([command, '--help']);
      expect(code, command).toBe(EXIT_CODES.ok);
      expect(stdout, command).toContain('Example');
    }
  });

  it('an unknown command or flag is a usage error (2)', async () => {
    const unknownCommand = await runCaptured(['sweeep']);
    expect(unknownCommand.code).toBe(EXIT_CODES.usage);
    expect(unknownCommand.stderr).toMatch(/unknown command 'sweeep'/);
    const unknownFlag = await runCaptured(['backends', '--bogus']);
    expect(unknownFlag.code).toBe(EXIT_CODES.usage);
    expect(unknownFlag.stderr).toMatch(/unknown option '--bogus'/);
  });

  it('rejects a backend outside onnx|tfjs|reference|auto with 2', async () => {
    const { code, stderr } = await runCaptured(['analyze', 'm.onnx', '--backend', 'cuda']);
    expect(code).toBe(EXIT_CODES.usage);
    expect(stderr).toMatch(/--backend.*Allowed choices are onnx, tfjs, reference, auto/s);
  });

  it('rejects bad numbers naming the flag', async () => {
    const rank = await runCaptured(['compress', 'm.onnx', '--rank', '0']);
    expect(rank.code).toBe(EXIT_CODES.usage);
    expect(rank.stderr).toContain('--rank expects an integer ≥ 1, got "0"');
    const energy = await runCaptured(['compress', 'm.onnx', '--energy', '1.5']);
    expect(energy.code).toBe(EXIT_CODES.usage);
    expect(energy.stderr).toContain('--energy expects a number between 0 and 1');
    const workers = await runCaptured(['sweep', '--preset', 'demo', '--workers', 'two']);
    expect(workers.code).toBe(EXIT_CODES.usage);
    expect(workers.stderr).toContain('--workers expects an integer ≥ 1, got "two"');
  });

  it('sweep needs exactly one of a file and --preset', async () => {
    const none = await runCaptured(['sweep']);
    expect(none.code).toBe(EXIT_CODES.usage);
    expect(none.stderr).toContain('rank-collapse: sweep: give a sweep file or --preset NAME');
    const unknown = await runCaptured(['sweep', '--preset', 'nope']);
    expect(unknown.code).toBe(EXIT_CODES.usage);
    expect(unknown.stderr).toContain('unknown preset "nope" (known presets: demo, paper-cnn, paper-mlp)');
  });

  it('compress needs exactly one of --rank and --energy', async () => {
    const both = await runCaptured(['compress', 'm.onnx', '--rank', '2', '--energy', '0.1']);
    expect(both.code).toBe(EXIT_CODES.usage);
    expect(both.stderr).toContain('give exactly one of --rank r, --energy ε or --max-accuracy-drop share');
  });

  it('a missing model file or unknown format is a usage error', async () => {
    const missing = await runCaptured(['analyze', 'no-such-model.onnx', '--backend', 'reference']);
    expect(missing.code).toBe(EXIT_CODES.usage);
    expect(missing.stderr).toContain('model file not found');
    const dir = mkdtempSync(join(tmpdir(), 'rank-collapse-format-'));
    writeFileSync(join(dir, 'model.xyz'), 'not a model');
    const format = await runCaptured(['analyze', 'model.xyz'], dir);
    expect(format.code).toBe(EXIT_CODES.usage);
    expect(format.stderr).toContain('cannot tell the format of model.xyz: expected .onnx, a TF.js model.json');
  });
});
