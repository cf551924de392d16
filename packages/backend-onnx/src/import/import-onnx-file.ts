import { ModelFileError, type ImportedModel } from '@rank-collapse/backend';

export async function importOnnxFile(path: string, _options: { maxModelBytes: number }): Promise<ImportedModel> {
  throw new ModelFileError(path, 'not implemented');
}
