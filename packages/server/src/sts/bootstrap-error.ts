/**
 * A bootstrap document the server cannot apply, naming the field as a person would write it
 * (`zones[1].applications[0].id`). The CLI recognises it by `name` (it does not import the server)
 * and reports it as a configuration error, exit 3.
 */
export class BootstrapError extends Error {
  /** The field at fault, e.g. `zones[1].applications[0].id`; undefined for the document as a whole. */
  readonly path: string | undefined;

  constructor(problem: string, path?: string) {
    super(`bootstrap: ${path === undefined ? problem : `${path}: ${problem}`}`);
    this.name = 'BootstrapError';
    this.path = path;
  }
}
