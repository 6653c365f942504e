import { useEffect, useRef } from 'preact/hooks';

export interface ConfirmRequest {
  title: string;
  /** The impact, from the server's dry run; undefined while it loads. */
  impact: string | undefined;
  error?: string | undefined;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * A modal confirmation (native `<dialog>`: focus stays inside and the page behind is inert).
 * Confirm waits for the dry run, so the operator always sees what will cascade first.
 */
export function ConfirmDialog({ request }: { request: ConfirmRequest }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element !== null && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      class="confirm"
      role="dialog"
      aria-modal="true"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-impact"
      onCancel={(event) => {
        event.preventDefault();
        request.onCancel();
      }}
    >
      <h2 id="confirm-title">{request.title}</h2>
      <p id="confirm-impact" aria-live="polite">
        {request.error ?? request.impact ?? 'Asking the server what this will cascade to…'}
      </p>
      <div class="buttons">
        <button type="button" class="danger" disabled={request.impact === undefined || request.busy === true} onClick={request.onConfirm}>
          Confirm
        </button>
        <button type="button" onClick={request.onCancel}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
