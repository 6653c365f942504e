import { Type, type TProperties, type TSchema } from 'typebox';
import { Page } from '../primitives.ts';

/**
 * The three answers a Coordinator record has: the record as reads show it, a page of them, and the
 * 201 of its creation, which repeats the record's `id` first under a named key (`invocation_id`…).
 */
export function recordAnswers<IdKey extends string, Properties extends TProperties & { id: TSchema }>(
  idKey: IdKey,
  properties: Properties,
) {
  const record = Type.Object(properties);
  const created = Type.Object({ [idKey]: properties.id, ...properties } as Record<IdKey, Properties['id']> & Properties);
  return { record, page: Page(record), created };
}
