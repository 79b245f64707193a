// What the compiler and the runtime know about a field: one record per field, declared once in
// the catalogs (syscall-fields.ts, plugin-fields.ts) and used by the type checker, the
// extractor registry, `falcoc fields` and the docs.

/** libsinsp parameter types (PT_ prefix dropped); DYN depends on the selected event parameter. */
export type FieldType =
  | 'INT8' | 'INT16' | 'INT32' | 'INT64'
  | 'UINT8' | 'UINT16' | 'UINT32' | 'UINT64'
  | 'CHARBUF' | 'BYTEBUF' | 'FSPATH' | 'FSRELPATH'
  | 'ERRNO' | 'FD' | 'FD32' | 'PID' | 'PID32' | 'SYSCALLID' | 'SIGTYPE' | 'SIGSET' | 'RELTIME' | 'ABSTIME'
  | 'PORT' | 'L4PROTO' | 'SOCKFAMILY'
  | 'FLAGS8' | 'FLAGS16' | 'FLAGS32' | 'ENUMFLAGS8' | 'ENUMFLAGS16' | 'ENUMFLAGS32'
  | 'MODE' | 'UID' | 'GID' | 'DOUBLE' | 'BOOL'
  | 'IPADDR' | 'IPNET' | 'IPV4ADDR' | 'IPV4NET' | 'IPV6ADDR' | 'IPV6NET'
  | 'SOCKADDR' | 'SOCKTUPLE' | 'FDLIST' | 'CHARBUFARRAY' | 'CHARBUF_PAIR_ARRAY' | 'DYN';

export type FieldFlag =
  | 'FILTER_ONLY' | 'PRINT_ONLY' | 'TABLE_ONLY' | 'NO_RHS' | 'NO_TRANSFORMER' | 'NO_PTR_STABILITY'
  | 'DEPRECATED' | 'IS_LIST' | 'ARG_REQUIRED' | 'ARG_ALLOWED' | 'ARG_INDEX' | 'ARG_KEY' | 'FORMAT_SUGGESTED';

export type PrintFormat = 'DEC' | 'HEX' | 'OCT' | 'ID' | '10_PADDED_DEC' | 'DIR' | 'NA';

export interface FieldInfo {
  readonly name: string;
  readonly type: FieldType;
  readonly isList: boolean;
  /** Whether an argument is accepted. */
  readonly arg: 'none' | 'required' | 'optional';
  readonly argKind?: 'index' | 'key' | 'index|key';
  /**
   * How the argument is written: `name[ARG]` (bracket), `name.ARG` (suffix, e.g. evt.rawarg.res,
   * thread.cgroup.cpu) or both (evt.arg[0] by position, evt.arg.fd by name).
   */
  readonly argForm?: 'bracket' | 'suffix' | 'both';
  readonly flags: readonly FieldFlag[];
  readonly printFormat?: PrintFormat;
  readonly group: string;
  readonly provider: string;
  readonly desc: string;
}

/** The fields one plugin contributes, and the event sources they apply to. */
export interface PluginFields {
  readonly plugin: string;
  /** The plugin's own event source; null for extractor-only plugins such as json. */
  readonly source: string | null;
  readonly fields: readonly FieldInfo[];
}
