/** Hub model ids (`name` or `org/name`) and `hf:` tokenizer references, checked before any request is made. */

/** A name part as the Hub allows it: letters, digits, `-`, `_`, `.`; no `--` or `..`; not starting or ending in `-` or `.`. */
const NAME_PART = /^(?!.*(?:--|\.\.))[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?$/;

/** Why `id` is not a Hub model id, or undefined when it is one. */
export function modelIdProblem(id: string): string | undefined {
  const parts = id.split('/');
  if (id.trim() === '') return 'give a model id such as bert-base-uncased or sentence-transformers/all-MiniLM-L6-v2';
  if (parts.length > 2) return `"${id}" has more than one "/": a model id is name or organization/name`;
  const bad = parts.find((part) => !NAME_PART.test(part));
  if (bad !== undefined) {
    return `"${bad || id}" is not a valid ${parts.length === 2 && bad === parts[0] ? 'organization' : 'model name'}: use letters, digits, "-", "_" and "." (no "--" or "..", at most 96 characters)`;
  }
  return undefined;
}

/** Why `revision` is not a branch, tag or commit name we can use in a URL and a cache path, or undefined. */
export function revisionProblem(revision: string): string | undefined {
  if (!/^[A-Za-z0-9_.\-/]+$/.test(revision) || revision.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    return `"${revision}" is not a valid revision (a branch, tag or commit: letters, digits, "-", "_", "." and "/")`;
  }
  return undefined;
}

export interface HubReference {
  modelId: string;
  revision?: string;
}

export const HUB_PREFIX = 'hf:';

/** `hf:org/name` or `hf:org/name@revision` as a reference; undefined when `text` does not start with `hf:`. */
export function parseHubReference(text: string): HubReference | undefined {
  return text.startsWith(HUB_PREFIX) ? parseModelInput(text.slice(HUB_PREFIX.length)) : undefined;
}

/** What a person types for a model: `org/name`, with `@revision` or not, or `hf:…`, or the model page's URL. */
export function parseModelInput(text: string): HubReference {
  const bare = text.trim().replace(/^hf:/, '').replace(/^https?:\/\/[^/]+\//, '').replace(/\/+$/, '');
  const at = bare.indexOf('@');
  return at < 0 ? { modelId: bare } : { modelId: bare.slice(0, at), revision: bare.slice(at + 1) };
}

/** Why typed input does not name a model (and revision), or undefined when it does. */
export function modelInputProblem(text: string): string | undefined {
  const { modelId, revision } = parseModelInput(text);
  return modelIdProblem(modelId) ?? (revision === undefined ? undefined : revisionProblem(revision));
}
