export type { CaracalContext } from './context/caracal-context.ts';
export { MAX_HOP } from './context/caracal-context.ts';
export type { CaracalErrorCode, CaracalErrorDetails } from './errors.ts';
export { CaracalError, isCaracalError } from './errors.ts';
