import type { ObjectType } from '../../canonical-schema/model/enums';
import type { SourcePosition } from '../envelope/ChangeEvent';

/** The source row a change is about, and what the pipeline knows of it. */
export interface SourceRow {
  readonly system: string;
  /** `<schema-or-db>.<table>` */
  readonly table: string;
  readonly sourceId: string;
  readonly correlationId: string;
  readonly objectType: ObjectType;
  readonly position: SourcePosition;
  /** Commit time at the source, ISO-8601. */
  readonly committedAt: string;
  /** `<rule id>@<version>` of the mapping rule. */
  readonly mappingVersion: string;
}
