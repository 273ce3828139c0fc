/** The errors our custom requests answer with: any LSP client may send them, so bad params are errors, not crashes. */
import { ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver';

/** The request was understood but could not be done (no vectors, unknown word, a broken file…). */
export function failed(message: string): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestFailed, message);
}

export function cancelled(message: string): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, message);
}

/** Params of the wrong shape: thrown by the checks below, answered as InvalidParams. */
export class InvalidParams extends Error {
  toResponse(): ResponseError<void> {
    return new ResponseError(ErrorCodes.InvalidParams, this.message);
  }
}

/** The params of `request` as an object (absent fields are undefined), or InvalidParams. */
export function paramsObject(value: unknown, request: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidParams(`${request}: the params must be an object`);
  return value as Record<string, unknown>;
}

export function optionalString(params: Record<string, unknown>, key: string): string | undefined {
  const value = params[key];
  if (value !== undefined && typeof value !== 'string') throw new InvalidParams(`${key} must be a string, not ${describe(value)}`);
  return value;
}

export function requiredString(params: Record<string, unknown>, key: string): string {
  const value = optionalString(params, key);
  if (value === undefined || value === '') throw new InvalidParams(`${key} is required (a non-empty string)`);
  return value;
}

export function optionalBoolean(params: Record<string, unknown>, key: string): boolean | undefined {
  const value = params[key];
  if (value !== undefined && typeof value !== 'boolean') throw new InvalidParams(`${key} must be true or false, not ${describe(value)}`);
  return value;
}

/** An array of strings (an empty array is allowed); with `nonEmpty`, each string must have characters. */
export function optionalStrings(params: Record<string, unknown>, key: string, nonEmpty = false): string[] | undefined {
  const value = params[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new InvalidParams(`${key} must be an array of strings, not ${describe(value)}`);
  value.forEach((element, i) => {
    if (typeof element !== 'string' || (nonEmpty && element === '')) throw new InvalidParams(`${key}[${i}] must be a non-empty string, not ${describe(element)}`);
  });
  return value as string[];
}

export function optionalWholeNumber(params: Record<string, unknown>, key: string, min: number, max: number): number | undefined {
  const value = params[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidParams(`${key} must be a whole number from ${min} to ${max}, not ${describe(value)}`);
  }
  return value;
}

export function optionalNumber(params: Record<string, unknown>, key: string, min: number, max: number): number | undefined {
  const value = params[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidParams(`${key} must be a number from ${min} to ${max}, not ${describe(value)}`);
  }
  return value;
}

export function optionalChoice<T extends string>(params: Record<string, unknown>, key: string, choices: readonly T[]): T | undefined {
  const value = params[key];
  if (value !== undefined && !choices.includes(value as T)) throw new InvalidParams(`${key} must be one of ${choices.join(', ')}, not ${describe(value)}`);
  return value as T | undefined;
}

/** LSP's ProgressToken: a string or a number. */
export function optionalWorkDoneToken(params: Record<string, unknown>): string | number | undefined {
  const token = params.workDoneToken;
  if (token !== undefined && typeof token !== 'string' && typeof token !== 'number') throw new InvalidParams('workDoneToken must be a string or a number');
  return token;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
