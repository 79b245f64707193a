// The block types of the scap capture format (pcapng-like: every block is
// `type u32, total length u32, body, padding to 4 bytes, total length u32 again`) and the
// limits libscap applies while reading them. The `*_INT` numbers are the ones used before
// libscap's first release; libscap still reads them, so we do too.

export const SECTION_HEADER = 0x0a0d0d0a;
/** Byte-order magic of the section header, as a number read in the section's own byte order. */
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** The magic as it reads when the section is in the other byte order. */
export const BYTE_ORDER_MAGIC_SWAPPED = 0x4d3c2b1a;
export const FORMAT_MAJOR = 1;
export const FORMAT_MINOR = 2;

export const MACHINE_INFO = 0x201;
export const MACHINE_INFO_INT = 0x8002abcd;

/** Process list block types, by version (1…9). */
export const PROCESS_LIST_VERSIONS: ReadonlyMap<number, number> = new Map([
  [0x202, 1],
  [0x8000abcd, 1],
  [0x207, 2],
  [0x8013abcd, 2],
  [0x209, 3],
  [0x8014abcd, 3],
  [0x210, 4],
  [0x211, 5],
  [0x212, 6],
  [0x213, 7],
  [0x214, 8],
  [0x215, 9],
]);
export const PROCESS_LIST_V9 = 0x215;

export const FD_LIST = 0x203;
export const FD_LIST_INT = 0x8001abcd;
export const FD_LIST_V2 = 0x218;

export const INTERFACE_LIST = 0x205;
export const INTERFACE_LIST_INT = 0x8011abcd;
export const INTERFACE_LIST_V2 = 0x219;

export const USER_LIST = 0x206;
export const USER_LIST_INT = 0x8012abcd;
export const USER_LIST_V2 = 0x220;

/** Event blocks: `cpu u16, event`. V1 events lack the nparams header field. */
export const EVENT_V1 = 0x204;
export const EVENT_V1_INT = 0x8010abcd;
export const EVENT_V2 = 0x216;
/** Like EVENT_V2, but the block may exceed libscap's 64 KiB event buffer. */
export const EVENT_V2_LARGE = 0x221;
/** Event blocks with flags: `cpu u16, flags u32, event`. */
export const EVENT_FLAGS_V1 = 0x208;
export const EVENT_FLAGS_V2 = 0x217;
export const EVENT_FLAGS_V2_LARGE = 0x222;

/** Dump flags stored in EVF blocks (scap_dump_flags). */
export const DUMP_FLAG_STATE_ONLY = 1;
/** Not stored in the file: tells the writer to use a LARGE block type. */
export const DUMP_FLAG_LARGE = 4;

/** Smallest possible block: header (8) and trailer (4). */
export const MIN_BLOCK_SIZE = 12;
/** Section header: block header, magic u32, major u16, minor u16, section length u64, trailer. */
export const SECTION_HEADER_MIN_SIZE = 28;
/** Size of scap_machine_info on disk (packed). */
export const MACHINE_INFO_SIZE = 180;
/** libscap reads non-LARGE event blocks into a 64 KiB buffer: block length minus 8 must fit. */
export const EVENT_BUFFER_SIZE = 65536;
/** ppm event header: ts u64, tid u64, len u32, type u16, nparams u32. V1 events lack nparams. */
export const EVENT_HEADER_SIZE = 26;
export const EVENT_HEADER_SIZE_V1 = 22;

/** String limits libscap enforces when reading the tables (SCAP_MAX_*). */
export const MAX_PATH_SIZE = 1024;
export const MAX_ARGS_SIZE = 4096;
export const MAX_ENV_SIZE = 4096;
export const MAX_CGROUPS_SIZE = 4096;
export const MAX_CREDENTIALS_STR_LEN = 256;
export const MACHINE_HOSTNAME_SIZE = 128;

/** A block type as a human-readable name for messages. */
export function blockName(type: number): string {
  if (type === SECTION_HEADER) return 'section header block';
  if (type === MACHINE_INFO || type === MACHINE_INFO_INT) return 'machine info block';
  if (PROCESS_LIST_VERSIONS.has(type)) return 'process list block';
  if (type === FD_LIST || type === FD_LIST_INT || type === FD_LIST_V2) return 'fd list block';
  if (type === INTERFACE_LIST || type === INTERFACE_LIST_INT || type === INTERFACE_LIST_V2) return 'interface list block';
  if (type === USER_LIST || type === USER_LIST_INT || type === USER_LIST_V2) return 'user list block';
  if (isEventBlock(type)) return 'event block';
  return `block of type 0x${type.toString(16)}`;
}

export function isEventBlock(type: number): boolean {
  return (
    type === EVENT_V2 ||
    type === EVENT_FLAGS_V2 ||
    type === EVENT_V2_LARGE ||
    type === EVENT_FLAGS_V2_LARGE ||
    type === EVENT_V1 ||
    type === EVENT_V1_INT ||
    type === EVENT_FLAGS_V1
  );
}

/** Rounds a block length up to the 4-byte alignment blocks are padded to. */
export function padTo4(n: number): number {
  return n + ((4 - (n % 4)) % 4);
}
