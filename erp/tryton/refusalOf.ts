import type { ErpRefusal } from '../connector/ErpConnector';
import type { TrytonReply } from './TrytonClient';

type Fault = Extract<TrytonReply, { ok: false }>;

/** Tryton's fault as the posting's refusal, keeping Tryton's own words. */
export function refusalOf(reply: Fault, field: string | null = null): ErpRefusal {
  return {
    code: reply.type === 'UserWarning' ? 'ERP_WARNING' : 'ERP_REFUSED',
    message: reply.type === 'ServerError' ? `Tryton failed: ${reply.message}` : reply.message,
    description: reply.description,
    field,
  };
}
