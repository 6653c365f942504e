import { useState } from 'preact/hooks';
import type { AdminClient } from '../api/console-api.ts';
import { describeImpact, type ActionKind, type ImpactOf } from '../model/impact-text.ts';
import type { ConfirmRequest } from './confirm-dialog.tsx';

const TITLES: Record<ActionKind, string> = { suspend: 'Suspend', resume: 'Resume', terminate: 'Terminate', revoke: 'Revoke' };

export interface Actions {
  dialog: ConfirmRequest | undefined;
  /** Opens the confirmation of a cascading action; the impact comes from the server's dry run. */
  confirm: (kind: ActionKind, id: string) => void;
  /** Opens a confirmation whose impact is known without asking (stopping a run). */
  confirmPlain: (title: string, impact: string, run: () => Promise<unknown>) => void;
}

/**
 * Every action goes through one confirmation: dry run → impact → Confirm → the real call. The
 * dialog closes when the server accepted the action; what changed then arrives from the feed.
 */
export function useActions(api: AdminClient, onError: (error: unknown) => void): Actions {
  const [dialog, setDialog] = useState<ConfirmRequest | undefined>(undefined);
  const close = () => setDialog(undefined);

  const open = (title: string, run: () => Promise<unknown>, impact: string | undefined) => {
    const request: ConfirmRequest = {
      title,
      impact,
      onCancel: close,
      onConfirm: () => {
        setDialog((current) => (current === undefined ? current : { ...current, busy: true }));
        run().then(close, (failure: unknown) => {
          onError(failure);
          setDialog((current) => (current === undefined ? current : { ...current, busy: false, error: errorText(failure) }));
        });
      },
    };
    setDialog(request);
    return request;
  };

  const confirm = (kind: ActionKind, id: string) => {
    const call = (dryRun: boolean): Promise<unknown> => {
      switch (kind) {
        case 'suspend':
          return api.sessions.suspend(id, { dryRun });
        case 'resume':
          return api.sessions.resume(id, { dryRun });
        case 'terminate':
          return api.sessions.terminate(id, { dryRun });
        case 'revoke':
          return api.delegations.revoke(id, { dryRun });
      }
    };
    const title = `${TITLES[kind]} ${id}?`;
    open(title, () => call(false), undefined);
    call(true).then(
      (answer) => setDialog((current) => (current?.title === title ? { ...current, impact: describeImpact(kind, answer as ImpactOf[typeof kind]) } : current)),
      (failure: unknown) => {
        onError(failure);
        setDialog((current) => (current?.title === title ? { ...current, error: errorText(failure) } : current));
      },
    );
  };

  return { dialog, confirm, confirmPlain: (title, impact, run) => void open(title, run, impact) };
}

function errorText(failure: unknown): string {
  const description = (failure as { description?: unknown }).description;
  if (typeof description === 'string') return description;
  return failure instanceof Error ? failure.message : String(failure);
}
