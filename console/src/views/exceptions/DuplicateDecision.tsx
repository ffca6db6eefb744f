import { useState } from 'react';
import { useMutation } from 'urql';
import { useMay } from '../../api/MeContext';
import { ReasonDialog } from '../../components/ReasonDialog';
import { ResolveDuplicateVendorMutation } from './operations';

type Decision = 'SAME' | 'DISTINCT';

/**
 * A data steward's decision on a possible duplicate vendor (a DUPLICATE_VENDOR exception): the same company (the
 * supplier joins the existing golden record) or a different one (a vendor of its own) — with a reason, audited;
 * the pipeline carries it out and resolves the exception. Offered only to who may act on master data.
 */
export function DuplicateDecision({ exceptionId, onDone }: { exceptionId: string; onDone: (what: string) => void }) {
  const may = useMay('act:master-data');
  const [, decide] = useMutation(ResolveDuplicateVendorMutation);
  const [open, setOpen] = useState<Decision | null>(null);
  if (!may) return null;
  return (
    <>
      <button type="button" onClick={() => setOpen('SAME')}>
        Same vendor
      </button>
      <button type="button" onClick={() => setOpen('DISTINCT')}>
        Distinct vendor
      </button>
      {open && (
        <ReasonDialog
          title={
            open === 'SAME' ? 'The same company: join the existing vendor' : 'A different company: a vendor of its own'
          }
          confirm={open === 'SAME' ? 'Same vendor' : 'Distinct vendor'}
          onConfirm={async (reason) => {
            const r = await decide({ id: exceptionId, decision: open, reason });
            const errors = r.data?.resolveDuplicateVendor.userErrors ?? [];
            if (r.error) throw new Error(r.error.graphQLErrors[0]?.message ?? r.error.message);
            if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
            onDone(`${open === 'SAME' ? 'Same vendor' : 'Distinct vendor'}: recorded; the pipeline carries it out.`);
          }}
          onClose={() => setOpen(null)}
        />
      )}
    </>
  );
}
