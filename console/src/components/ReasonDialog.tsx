import { useEffect, useId, useRef, useState, type FormEvent } from 'react';

interface Props {
  /** e.g. "Retry 3 exceptions". */
  readonly title: string;
  /** What the confirm button says, e.g. "Retry". */
  readonly confirm: string;
  /** Ask for an owner too (assignment). */
  readonly withOwner?: { readonly initial: string };
  readonly onConfirm: (reason: string, owner: string) => Promise<void>;
  readonly onClose: () => void;
}

/**
 * Asks for the reason an action is taken (every action on an exception or a posting is audited with one): a modal
 * dialog (the browser's own, so focus stays in it and Escape closes it), the reason required.
 */
export function ReasonDialog({ title, confirm, withOwner, onConfirm, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [owner, setOwner] = useState(withOwner?.initial ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reasonId = useId();
  const ownerId = useId();
  useEffect(() => {
    const dialog = ref.current;
    dialog?.showModal();
    return () => dialog?.close();
  }, []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) {
      setError('Say why, in a sentence a colleague can read later.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onConfirm(reason.trim(), owner.trim());
      onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };
  return (
    <dialog ref={ref} className="reason-dialog" aria-labelledby={`${reasonId}-title`} onCancel={onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <h2 id={`${reasonId}-title`}>{title}</h2>
        {withOwner && (
          <p>
            <label htmlFor={ownerId}>Owner (user id; empty: nobody)</label>
            <input id={ownerId} value={owner} onChange={(e) => setOwner(e.target.value)} autoComplete="off" />
          </p>
        )}
        <p>
          <label htmlFor={reasonId}>Reason</label>
          <textarea
            id={reasonId}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            rows={3}
            required
            autoFocus
          />
        </p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {confirm}
          </button>
        </div>
      </form>
    </dialog>
  );
}
