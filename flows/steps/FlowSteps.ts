import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { ErpConnector } from '../../erp/connector/ErpConnector';
import type { PostingService } from '../../erp/posting/createPostingService';
import type { FlowDefinition } from '../registry';

/**
 * The hooks a flow definition names (`prerequisites`, `checks`, `action`, `completion`): how a step is done is
 * code, which step a flow runs is data. Vendor onboarding's steps (flows/vendorOnboarding/steps.ts) have this shape.
 */
export interface StepContext {
  readonly pool: Pool;
  readonly erp: ErpConnector;
  readonly logger: Logger;
  readonly postings: PostingService;
  readonly flow: FlowDefinition;
}

/** The canonical record a flow carries (its trigger's object type). */
export interface CanonicalDocument {
  readonly canonicalId: string;
  readonly legalEntityId: string;
  readonly number: string;
  readonly amount: string | null;
  readonly currency: string | null;
  /** The date that decides its period (issue / payment / transaction date), ISO. */
  readonly documentDate: string | null;
  readonly correlationId: string;
  readonly version: number;
}

/** What the flow remembers of a document between passes (table `flow_document`). */
export interface FlowDocumentState {
  /** What the action returned as its reference (a posting id, an ERP party id). */
  readonly actionReference: string | null;
}

export interface FlowProblem {
  readonly code: string;
  readonly field: string | null;
  readonly message: string;
}

/** A prerequisite holds, or names what the document waits for. */
export type PrerequisiteOutcome = { readonly met: true } | { readonly met: false; readonly waitsFor: string };

export type ActionOutcome =
  | { readonly kind: 'STARTED'; readonly reference: string | null; readonly note: string }
  | { readonly kind: 'REFUSED'; readonly problems: readonly FlowProblem[] }
  | { readonly kind: 'UNAVAILABLE'; readonly reason: string };

export type CompletionOutcome =
  | { readonly done: true; readonly note?: string }
  | { readonly done: false; readonly reason: string; readonly wakeKey?: string }
  | { readonly done: false; readonly failed: FlowProblem };

export type Prerequisite = (ctx: StepContext, doc: CanonicalDocument) => Promise<PrerequisiteOutcome>;
export type Check = (ctx: StepContext, doc: CanonicalDocument) => Promise<readonly FlowProblem[]>;
export type Action = (ctx: StepContext, doc: CanonicalDocument) => Promise<ActionOutcome>;
export type Completion = (
  ctx: StepContext,
  doc: CanonicalDocument,
  state: FlowDocumentState,
) => Promise<CompletionOutcome>;

/** A set of named steps (one module's), merged into the registry. */
export interface FlowStepSet {
  readonly prerequisites: Readonly<Record<string, Prerequisite>>;
  readonly checks: Readonly<Record<string, Check>>;
  readonly actions: Readonly<Record<string, Action>>;
  readonly completions: Readonly<Record<string, Completion>>;
}
