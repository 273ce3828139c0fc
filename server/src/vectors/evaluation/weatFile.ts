/**
 * User-edited WEAT word sets: a JSON file holding one test `{ "title"?, "targetX", "targetY", "attributeA",
 * "attributeB" }` (each a list of words) or an array of them. Mistakes are EvaluationFileErrors naming the file and
 * what is wrong (the test's index in an array, the key), so a typo in a key is not silently an empty set.
 */
import * as path from 'node:path';
import { EvaluationFileError } from './evaluationFileError';
import { readEvaluationLines } from './evaluationLines';
import type { WeatWordSets } from './weatSets';

export interface TitledWeatSets extends WeatWordSets {
  title: string;
}

const SET_KEYS = ['targetX', 'targetY', 'attributeA', 'attributeB'] as const;

export async function readWeatFile(file: string): Promise<TitledWeatSets[]> {
  const text = (await readEvaluationLines(file)).join('\n');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new EvaluationFileError(file, `not valid JSON (${(error as Error).message})`);
  }
  return parseWeatSets(json, file);
}

/** The checked tests of parsed JSON; `file` names the source in errors and default titles. */
export function parseWeatSets(json: unknown, file: string): TitledWeatSets[] {
  const many = Array.isArray(json);
  const tests = many ? json : [json];
  if (tests.length === 0) throw new EvaluationFileError(file, 'the array holds no WEAT test');
  return tests.map((test, i) => parseTest(test, file, many ? `test ${i + 1}: ` : '', many ? `${path.basename(file)} #${i + 1}` : path.basename(file)));
}

function parseTest(test: unknown, file: string, where: string, defaultTitle: string): TitledWeatSets {
  const fail = (problem: string): never => {
    throw new EvaluationFileError(file, `${where}${problem}`);
  };
  if (typeof test !== 'object' || test === null || Array.isArray(test)) {
    return fail(`expected an object with ${SET_KEYS.join(', ')} (lists of words) and an optional title`);
  }
  const record = test as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'title' && !(SET_KEYS as readonly string[]).includes(key)) fail(`unknown key "${key}" (the keys are title, ${SET_KEYS.join(', ')})`);
  }
  if (record.title !== undefined && typeof record.title !== 'string') fail('"title" must be a string');
  const words = (key: (typeof SET_KEYS)[number]): string[] => {
    const value = record[key];
    if (value === undefined) return fail(`"${key}" is missing`);
    if (!Array.isArray(value) || value.length === 0) return fail(`"${key}" must be a non-empty list of words`);
    const bad = value.find((w) => typeof w !== 'string' || w.trim() === '' || /\s/u.test(w.trim()));
    if (bad !== undefined) return fail(`"${key}" holds ${JSON.stringify(bad)}, not a word`);
    return value.map((w: string) => w.trim());
  };
  const [targetX, targetY, attributeA, attributeB] = SET_KEYS.map(words);
  const title = typeof record.title === 'string' && record.title.trim() !== '' ? record.title.trim() : defaultTitle;
  return { title, targetX, targetY, attributeA, attributeB };
}
