// Machine info block (0x201, 0x8002ABCD): the packed scap_machine_info struct —
// num_cpus u32, memory_size_bytes u64, max_pid u64, hostname char[128], boot_ts_epoch u64,
// flags u64, two reserved u64. 180 bytes in every version (later fields took over reserved
// ones), so one layout reads them all.
import type { MachineInfo } from './capture-types.ts';
import { CaptureError } from './capture-error.ts';
import { MACHINE_HOSTNAME_SIZE, MACHINE_INFO_SIZE } from './block-types.ts';
import { cString } from './table-cursor.ts';
import type { ByteWriter } from './byte-writer.ts';

export function readMachineInfo(bytes: Uint8Array, view: DataView, at: number, bodyLength: number, base: number, le: boolean): MachineInfo {
  if (bodyLength < MACHINE_INFO_SIZE) {
    throw new CaptureError(
      `machine info block at byte ${base + at - 8}: body of ${bodyLength} bytes is shorter than the ${MACHINE_INFO_SIZE}-byte machine info`,
      base + at - 8,
    );
  }
  return {
    numCpus: view.getUint32(at, le),
    memoryBytes: view.getBigUint64(at + 4, le),
    maxPid: view.getBigUint64(at + 12, le),
    hostname: cString(bytes.subarray(at + 20, at + 20 + MACHINE_HOSTNAME_SIZE)),
    bootTimeNs: view.getBigUint64(at + 148, le),
    flags: view.getBigUint64(at + 156, le),
    maxCpuFrequency: 0n,
    pageSize: 0,
  };
}

export function writeMachineInfo(w: ByteWriter, info: MachineInfo): void {
  w.u32(info.numCpus);
  w.u64(info.memoryBytes);
  w.u64(info.maxPid ?? 0n);
  // hostname is a NUL-terminated char[128]
  const name = info.hostname.slice(0, MACHINE_HOSTNAME_SIZE - 1);
  w.latin1(name);
  w.zeros(MACHINE_HOSTNAME_SIZE - name.length);
  w.u64(info.bootTimeNs);
  w.u64(info.flags ?? 0n);
  w.u64(0n);
  w.u64(0n);
}
