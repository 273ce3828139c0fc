import { TokenizerLoadError } from '../tokenizers/types';

/** Why a Hub download failed, for callers that react differently (e.g. offer to set a token on 'unauthorized'). */
export type HubErrorReason = 'invalid-input' | 'unauthorized' | 'not-found' | 'no-tokenizer' | 'network' | 'checksum' | 'cache' | 'cancelled' | 'http' | 'bad-response';

/**
 * A Hub download that failed. It is a TokenizerLoadError named `hf:<model id>`, so whatever reports a tokenizer
 * that cannot be loaded (the CLI, the server) reports this one clearly too.
 */
export class HubDownloadError extends TokenizerLoadError {
  constructor(readonly modelId: string, readonly reason: HubErrorReason, problem: string) {
    super(`hf:${modelId}`, problem);
    this.name = 'HubDownloadError';
  }
}

/** What a request was for, so an error says which model, file and endpoint it concerns. */
export interface HubRequestContext {
  modelId: string;
  revision: string;
  endpoint: string;
  /** The repository file, when the request is for one (not for the model listing). */
  file?: string;
  tokenSent: boolean;
}

const TOKEN_HINT = 'set HF_TOKEN to a Hugging Face access token with access (or log in with `huggingface-cli login`)';

/**
 * The error for a Hub answer that is not a success. The Hub says what went wrong in X-Error-Code; without a token
 * it answers 401 even for models that do not exist, so as not to reveal private ones.
 */
export function errorForStatus(response: Response, context: HubRequestContext): HubDownloadError {
  const { modelId, revision, endpoint, file, tokenSent } = context;
  const code = response.headers.get('x-error-code');
  const status = `HTTP ${response.status}${code ? ` ${code}` : ''}`;
  const fail = (reason: HubErrorReason, problem: string): HubDownloadError => new HubDownloadError(modelId, reason, `${problem} (${status})`);
  if (code === 'GatedRepo') {
    return fail('unauthorized', `the model is gated: accept its conditions at ${endpoint}/${modelId} and ${TOKEN_HINT}${tokenSent ? '; the token sent has no access yet' : ''}`);
  }
  if (code === 'RevisionNotFound') return fail('not-found', `the model has no revision "${revision}"`);
  if (code === 'EntryNotFound' && file) return fail('not-found', `the model has no file ${file} at revision "${revision}"`);
  if (code === 'RepoNotFound' || response.status === 404) {
    const privateHint = tokenSent ? '' : `; if it is private, ${TOKEN_HINT}`;
    return fail('not-found', `no model "${modelId}" on ${endpoint}${privateHint}`);
  }
  if (response.status === 401 || response.status === 403) {
    const problem = tokenSent ? 'the Hub refused the token sent: it is invalid or has no access to this model' : `the model is private or gated: ${TOKEN_HINT}`;
    return fail('unauthorized', problem);
  }
  return fail('http', `the Hub could not serve ${file ?? 'the model listing'} from ${endpoint}`);
}

/** A fetch that failed without an answer: the cancellation it was, or a network error naming the cause. */
export function errorForFailedFetch(error: unknown, context: HubRequestContext, signal: AbortSignal | undefined): HubDownloadError {
  if (error instanceof HubDownloadError) return error;
  if (signal?.aborted) return cancelledError(context.modelId);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message ?? (error as Error).message;
  const what = context.file ? `downloading ${context.file}` : 'listing the model files';
  return new HubDownloadError(context.modelId, 'network', `network error while ${what} from ${context.endpoint} (${detail})`);
}

export function cancelledError(modelId: string): HubDownloadError {
  return new HubDownloadError(modelId, 'cancelled', 'the download was cancelled; what arrived is kept and a later download resumes it');
}
