// Diagnostics: Falco's load-result codes, one table of their descriptions, and the located
// record every stage reports (file:line:col plus Falco's chain of item contexts).

export const ERROR_CODES = {
  LOAD_ERR_FILE_READ: 'File read error',
  LOAD_ERR_YAML_PARSE: 'YAML parse error',
  LOAD_ERR_YAML_VALIDATE: 'Error validating internal structure of YAML file',
  LOAD_ERR_COMPILE_CONDITION: 'Error compiling condition',
  LOAD_ERR_COMPILE_OUTPUT: 'Error compiling output',
  LOAD_ERR_VALIDATE: 'Error validating rule/macro/list/exception objects',
  LOAD_ERR_EXTENSION: 'Error in extension item',
} as const;

export const WARNING_CODES = {
  LOAD_UNKNOWN_SOURCE:
    'A rule has a unknown event source. This can occur when reading rules content without having a corresponding plugin loaded, etc. The rule will be silently ignored.',
  LOAD_UNSAFE_NA_CHECK:
    "Comparing a field value with <NA> is unsafe and can lead to unpredictable behavior of the rule condition. If you need to check for the existence of a field, consider using the 'exists' operator instead.",
  LOAD_NO_EVTTYPE:
    'A rule condition matches too many evt.type values. This has a significant performance penalty. Make the condition more specific by adding an evt.type field or further restricting the number of evt.type values in the condition.',
  LOAD_UNKNOWN_FILTER:
    'A rule condition or output refers to a field or evt.type that does not exist. This is normally an error, but if a rule has a skip-if-unknown-filter property, the error is downgraded to a warning.',
  LOAD_UNUSED_MACRO: 'A macro is defined in the rules content but is not used by any other macro or rule.',
  LOAD_UNUSED_LIST: 'A list is defined in the rules content but is not used by any other list, macro, or rule.',
  LOAD_UNKNOWN_ITEM: 'An unknown top-level object is in the rules content. It will be ignored.',
  LOAD_DEPRECATED_ITEM: 'A deprecated item is employed by lists, macros, or rules.',
  LOAD_WARNING_EXTENSION: 'An extension item has a warning',
  LOAD_APPEND_NO_VALUES: 'A rule exception is overriding/appending with no values',
  LOAD_EXCEPTION_NAME_NOT_UNIQUE: 'A rule is defining multiple exceptions with the same name',
  LOAD_INVALID_MACRO_NAME: 'A macro is defined with an invalid name',
  LOAD_INVALID_LIST_NAME: 'A list is defined with an invalid name',
  LOAD_COMPILE_CONDITION: 'A rule condition or output have been parsed with a warning',
  LOAD_UNKNOWN_KEY:
    'An item in the rules content contains an unrecognized key. The key will be ignored. This may indicate a typo or a property placed on the wrong item type.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
export type WarningCode = keyof typeof WARNING_CODES;
export type DiagnosticCode = ErrorCode | WarningCode;
export type Severity = 'error' | 'warning';

/** Falco's context item types (rule_loader::context::item_type). */
export type ItemType =
  | 'value for' | 'exceptions' | 'exception' | 'exception values' | 'exception value'
  | 'rules content' | 'rules content item' | 'required_engine_version' | 'required plugin versions'
  | 'required plugin versions entry' | 'required plugin versions alternative' | 'list' | 'list item'
  | 'macro' | 'macro condition' | 'rule' | 'rule condition' | 'condition expression' | 'rule output'
  | 'rule output expression' | 'rule priority' | 'overrides' | 'extension item';

/** One step of the context chain; positions are 1-based. */
export interface Location {
  itemType: ItemType;
  itemName: string;
  /** The file, or for a condition expression a quoted prefix of the condition (Falco's convention). */
  name: string;
  file: string;
  line: number;
  col: number;
  offset: number;
}

export interface Diagnostic {
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  file: string;
  /** 1-based position of the innermost location. */
  line: number;
  col: number;
  offset: number;
  /** Length of the offending text (for underlining), when known. */
  length?: number;
  /** The rule, macro, list, exception… the problem belongs to. */
  item?: { type: ItemType; name: string };
  /** Falco's context chain, outermost (the file) first. */
  locations: Location[];
  hint?: string;
}

/** Item types that name a definition (the others describe a part of one). */
const NAMED_ITEMS = new Set<ItemType>([
  'rules content', 'rules content item', 'required_engine_version', 'required plugin versions',
  'required plugin versions entry', 'required plugin versions alternative', 'list', 'macro', 'rule', 'exception',
]);

/** An immutable chain of locations, extended as the loader descends into items. */
export class Context {
  private constructor(readonly locations: readonly Location[]) {}

  static file(file: string): Context {
    return new Context([{ itemType: 'rules content', itemName: '', name: file, file, line: 1, col: 1, offset: 0 }]);
  }

  get file(): string {
    return this.locations[0]!.file;
  }

  child(itemType: ItemType, itemName: string, at: { line: number; col: number; offset: number }, name?: string): Context {
    return new Context([...this.locations, { itemType, itemName, name: name ?? this.file, file: this.file, ...at }]);
  }

  diagnostic(severity: Severity, code: DiagnosticCode, message: string, extra?: { length?: number; hint?: string }): Diagnostic {
    const inner = this.locations[this.locations.length - 1]!;
    let item: Diagnostic['item'];
    for (let i = this.locations.length - 1; i >= 0; i--) {
      const l = this.locations[i]!;
      if (NAMED_ITEMS.has(l.itemType)) {
        item = { type: l.itemType, name: l.itemName };
        break;
      }
    }
    const d: Diagnostic = {
      severity, code, message, file: inner.file, line: inner.line, col: inner.col, offset: inner.offset,
      locations: [...this.locations],
    };
    if (item) d.item = item;
    if (extra?.length !== undefined) d.length = extra.length;
    if (extra?.hint !== undefined) d.hint = extra.hint;
    return d;
  }
}

/** Thrown inside a stage to abort the current load with one error (Falco stops at the first). */
export class LoadError extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly ctx: Context, readonly extra?: { length?: number; hint?: string }) {
    super(message);
  }
  toDiagnostic(): Diagnostic {
    return this.ctx.diagnostic('error', this.code, this.message, this.extra);
  }
}
