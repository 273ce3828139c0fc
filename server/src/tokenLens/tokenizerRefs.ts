/**
 * How a tokenizer setting (a bundled name, or a file path that may be workspace-relative) becomes what the
 * catalog loads, and how either is shown to people.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** File names that say nothing about the model (Mistral's tokenizer.model.v3 too): their folder names it instead. */
const GENERIC_FILE_NAME = /^(tokenizer\.(json|tiktoken|model(\.v\d+)?)|spiece\.model|sentencepiece\.bpe\.model|vocab\.(txt|json))$/i;

/**
 * What the catalog loads for a setting value: names and scheme-prefixed ids (`hf:org/name`) as they are,
 * `file:` URIs as paths, relative paths against the workspace folder, `${workspaceFolder}` expanded.
 */
export function resolveTokenizerSetting(value: string, workspaceRoot: string | undefined): string {
  const trimmed = value.trim();
  if (trimmed.startsWith('file://')) return fileURLToPath(trimmed);
  const expanded = workspaceRoot ? trimmed.replace(/\$\{workspaceFolder\}/g, workspaceRoot) : trimmed;
  if (!isFilePath(expanded) || path.isAbsolute(expanded)) return expanded;
  return workspaceRoot ? path.join(workspaceRoot, expanded) : expanded;
}

/** A short display name: the name itself, a file's model folder (`bert-base-uncased`), or its base name. */
export function tokenizerLabel(nameOrPath: string): string {
  if (!isFilePath(nameOrPath)) return nameOrPath;
  const parts = nameOrPath.split(/[\\/]+/).filter(Boolean);
  const file = parts[parts.length - 1] ?? nameOrPath;
  if (!GENERIC_FILE_NAME.test(file) || parts.length < 2) return file.replace(/\.(json|model|tiktoken|txt)$/i, '');
  const folder = parts[parts.length - 2];
  // The Hugging Face cache keeps files in models--org--name/snapshots/<commit>/.
  const hubRepo = parts[parts.length - 4];
  if (/^[0-9a-f]{40}$/.test(folder) && parts[parts.length - 3] === 'snapshots' && hubRepo?.startsWith('models--')) {
    return hubRepo.slice('models--'.length).split('--').join('/');
  }
  return folder;
}

/** Bundled names have no separators or dots (`cl100k_base`); ids with a scheme (`hf:…`) are not paths either. */
function isFilePath(value: string): boolean {
  if (/^[a-z][a-z0-9+.-]+:(?![\\/])/i.test(value)) return false;
  return value.includes('/') || value.includes('\\') || value.includes('.');
}
