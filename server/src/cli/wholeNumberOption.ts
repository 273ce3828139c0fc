import { UsageError } from './tokenizeCommand';

/** An option's whole-number value, at least `least`; anything else (a blank, a fraction, "many") is a usage error. */
export function wholeNumberOption(text: string, option: string, least = 0): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < least) {
    throw new UsageError(`${option} takes a whole number${least > 0 ? ` ≥ ${least}` : ''}, got "${text}"`);
  }
  return value;
}
