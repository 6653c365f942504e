/** The `{ error, error_description }` a Caracal server or verifier answers a refusal with. */
export interface CaracalErrorBody {
  code?: string | undefined;
  description?: string | undefined;
}

/** Reads that body from a response; an answer without one (HTML, empty, not JSON) gives `{}`. */
export async function readCaracalErrorBody(response: { json(): Promise<unknown> }): Promise<CaracalErrorBody> {
  try {
    const body = (await response.json()) as { error?: unknown; error_description?: unknown } | null;
    return {
      code: typeof body?.error === 'string' ? body.error : undefined,
      description: typeof body?.error_description === 'string' ? body.error_description : undefined,
    };
  } catch {
    return {};
  }
}
