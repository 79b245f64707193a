// The one error type of the capture layer. Anything wrong with the bytes of a capture file
// (bad magic, truncation, impossible lengths) surfaces as a CaptureError that names the
// problem and where it is, so a user can find it with a hex dump; I/O errors (ENOENT…) and
// exceptions thrown by handlers pass through unchanged.

export class CaptureError extends Error {
  override readonly name = 'CaptureError';

  /**
   * @param problem what is wrong, e.g. "event block at byte 12345: length 99999 points past the end".
   * @param offset byte offset in the (decompressed) capture stream of the offending bytes.
   */
  constructor(
    problem: string,
    readonly offset: number,
  ) {
    super(`capture: ${problem}`);
  }
}
