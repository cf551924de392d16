import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readFileSync } from 'node:fs';
import { parseSweepConfig } from './parse-sweep-config.js';
import { SweepConfigError } from './sweep-config-error.js';

const demo = readFileSync(new URL('./__fixtures__/demo.yaml', import.meta.url), 'utf8');

function errorOf(text: string, file = 'sweep.yaml'): SweepConfigError {
  try {
    parseSweepConfig(text, { file, backendNames: ['onnx', 'tfjs', 'reference', 'auto'] });
  } catch (error) {
    if (error instanceof SweepConfigError) return error;
    throw error;
  }
  throw new Error('expected a SweepConfigError');
}

describe('parseSweepConfig', () => {
  it('parses the demo file with defaults filled in', () => {
    const { config } = parseSweepConfig(demo, { file: 'demo.yaml' });
    expect(config.name).toBe('demo');
    expect(config.training).toMatchObject({ epochs: 20, lr: 0.05, momentum: 0.9, weightDecay: 0, schedule: 'cosine' });
    expect(config.analysis).toEqual({ checkpoints: { every: 5 }, rankTolerance: 0.001, singularValues: false });
    expect(config.grid.weightDecay).toEqual({ logspace: { from: -5, to: -2, count: 4 }, includeZero: true });
    expect(config.grid['model.hidden']).toEqual([[64], [64, 64]]);
    expect(config.backend).toBe('onnx');
  });

  it('reads YAML 1.2 exponent floats such as 1e-5 as numbers', () => {
    const { config } = parseSweepConfig(demo.replace('seed: [0, 1]', 'seed: [0]\n  lr: [1e-5, 2E-3]'));
    expect(config.grid.lr).toEqual([1e-5, 2e-3]);
  });

  it('parses JSON by extension and reports JSON syntax errors with a line', () => {
    const json = JSON.stringify({ name: 'j', dataset: { name: 'mnist' }, model: {}, training: { epochs: 1, batchSize: 8, lr: 0.1 } }, null, 2);
    expect(parseSweepConfig(json, { file: 'x.json' }).config.name).toBe('j');
    const error = errorOf('{\n  "name": "j",\n  oops\n}', 'x.json');
    expect(error.message).toMatch(/^Invalid sweep file x\.json \(1 problem\):\n {2}x\.json(:\d+:\d+)?: not valid JSON/);
  });

  it('names file, line, field path, value and expectation for a bad grid value', () => {
    const error = errorOf(demo.replace('seed: [0, 1]', 'seed: [0, 1]\n  lr: [0.1, "fast"]'));
    expect(error.issues).toHaveLength(1);
    const [issue] = error.issues;
    expect(issue.path).toEqual(['grid', 'lr', 1]);
    expect(issue.value).toBe('fast');
    expect(issue.line).toBe(19);
    expect(error.message).toContain('sweep.yaml:19:');
    expect(error.message).toContain('grid.lr[1]: expected a number, got "fast" (a string)');
  });

  it('explains bounds in words', () => {
    const error = errorOf(demo.replace('lr: 0.05', 'lr: -1').replace('epochs: 20', 'epochs: 2.5'));
    const lines = error.message.split('\n').slice(1);
    expect(lines).toEqual([
      expect.stringMatching(/^ {2}sweep\.yaml:9:3: training\.epochs: expected an integer, got 2\.5$/),
      expect.stringMatching(/^ {2}sweep\.yaml:11:3: training\.lr: expected a number > 0, got -1$/),
    ]);
  });

  it('suggests the intended name for an unknown field and lists the known ones', () => {
    const error = errorOf(demo.replace('backend: onnx', 'backnd: onnx'));
    expect(error.issues[0]).toMatchObject({ path: ['backnd'], hint: 'did you mean "backend"?', line: 23 });
    expect(error.message).toContain(
      'sweep.yaml:23:1: backnd: unknown field; did you mean "backend"? (known fields here: name, description, dataset, model, training, grid, analysis, backend, seed)',
    );
  });

  it('suggests a grid axis for a misspelled one', () => {
    const error = errorOf(demo.replace('seed: [0, 1]', 'seeds: [0, 1]'));
    expect(error.issues[0].path).toEqual(['grid', 'seeds']);
    expect(error.issues[0].hint).toBe('did you mean "seed"?');
    expect(error.message).toContain('a grid axis: one of weightDecay, lr');
  });

  it('reports a missing required field', () => {
    const error = errorOf(demo.replace('  batchSize: 128\n', ''));
    expect(error.message).toContain('training.batchSize: expected an integer, got nothing (the field is missing)');
  });

  it('reports an invalid logspace inside the union by its inner field', () => {
    const error = errorOf(demo.replace('count: 4', 'count: 0').replace('includeZero: true', 'includeZer: true'));
    const paths = error.issues.map((issue) => issue.path.join('.'));
    expect(paths).toContain('grid.weightDecay.logspace.count');
    expect(paths).toContain('grid.weightDecay.includeZer');
    expect(error.issues.find((issue) => issue.path.at(-1) === 'includeZer')?.hint).toBe('did you mean "includeZero"?');
  });

  it('reports a bad enum with its choices', () => {
    const error = errorOf(demo.replace('backend: onnx', 'backend: cuda'));
    expect(error.message).toContain('backend: expected one of "onnx", "tfjs", "reference", "auto", got "cuda" (a string)');
  });

  it('reports YAML syntax errors with a position', () => {
    const error = errorOf('name: x\ngrid: [1, 2\n');
    expect(error.issues[0].line).toBeGreaterThanOrEqual(2);
    expect(error.message).toMatch(/sweep\.yaml:\d+:\d+: not valid YAML/);
  });

  it('accepts extra top-level sections only when the caller declares them', () => {
    const text = `${demo}report:\n  title: Demo\n  figures: 3\n`;
    expect(errorOf(text).issues[0]).toMatchObject({ path: ['report'], message: expect.stringContaining('report: unknown field') });
    const report = z.strictObject({ title: z.string(), figures: z.int().min(1) });
    const { config } = parseSweepConfig(text, { extraSections: { report } });
    expect((config as typeof config & { report: unknown }).report).toEqual({ title: 'Demo', figures: 3 });
    expect(() => parseSweepConfig(text.replace('figures: 3', 'figures: 0'), { file: 'r.yaml', extraSections: { report } })).toThrow(
      /r\.yaml:26:3: report\.figures: expected an integer ≥ 1, got 0/,
    );
  });

  it('rejects an empty file as a missing object', () => {
    expect(errorOf('').message).toContain('(top level): expected an object');
  });
});

describe('a file that is not text', () => {
  it('summarizes binary content instead of echoing it', () => {
    const bytes = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(200, 0), Buffer.from('name: x')]);
    const error = errorOf(bytes.toString('utf8'), 'model.bin');
    expect(error.message).toBe(
      'Invalid sweep file model.bin (1 problem):\n  model.bin: not a sweep file: its content is binary (215 bytes, 204 control or undecodable characters in the first 215; it starts with bytes 7f 45 4c 46 02 01 01 00, ".ELF"); expected YAML or JSON text',
    );
    expect(error.message).not.toContain('\u0000');
  });
});
