import type { JsonObject } from './jsonConfig';
import { UnsupportedFeature } from './jsonConfig';
import type { Model } from './model';

export function unigramModelFromJson(_json: JsonObject, file: string): Model {
  throw new UnsupportedFeature(file, 'Unigram (pending)');
}
