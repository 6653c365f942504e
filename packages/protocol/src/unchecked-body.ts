/**
 * A body as it came off the wire: the contract's field names, their values not yet checked, so
 * every read must look at what it got. For clients that read a few fields of an answer and
 * must not trust the rest.
 */
export type UncheckedBody<Body> = { readonly [Field in keyof Body]?: unknown };
