/**
 * The Kafka Connect schema that JsonConverter writes beside each payload (`schemas.enable=true`).
 * Only what the decoder reads is typed. Reference: org.apache.kafka.connect.json.JsonSchema.
 */
export interface ConnectSchema {
  readonly type:
    | 'int8'
    | 'int16'
    | 'int32'
    | 'int64'
    | 'float'
    | 'double'
    | 'boolean'
    | 'string'
    | 'bytes'
    | 'array'
    | 'map'
    | 'struct';
  readonly optional?: boolean;
  /** The logical type, e.g. `io.debezium.time.Date` or `org.apache.kafka.connect.data.Decimal`. */
  readonly name?: string;
  readonly field?: string;
  readonly parameters?: Readonly<Record<string, string>>;
  readonly fields?: readonly ConnectSchema[];
  readonly items?: ConnectSchema;
  readonly keys?: ConnectSchema;
  readonly values?: ConnectSchema;
}
