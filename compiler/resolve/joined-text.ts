// Conditions and outputs are built from several written pieces (a definition plus appends, or a
// rule condition plus generated exception text). JoinedText keeps where each piece came from so
// any offset in the final text can be traced back to its file, line and column.
import type { SourceText } from '../load/items.ts';
import { scalarValueMapper } from '../load/source-file.ts';

export interface FilePosition {
  file: string;
  line: number;
  col: number;
  offset: number;
}

interface Piece {
  /** Where the piece starts in the joined text. */
  at: number;
  text: string;
  source?: SourceText;
  /** For generated text: the position to report for any offset inside it. */
  anchor?: FilePosition;
}

export class JoinedText {
  readonly text: string;
  private mappers = new Map<Piece, (i: number) => number>();

  private constructor(private readonly pieces: readonly Piece[]) {
    this.text = pieces.map((p) => p.text).join('');
  }

  static of(source: SourceText): JoinedText {
    return new JoinedText([{ at: 0, text: source.text, source }]);
  }

  static generated(text: string, anchor: FilePosition): JoinedText {
    return new JoinedText([{ at: 0, text, anchor }]);
  }

  /** this + sep + other (Falco joins appended conditions and outputs with one space). */
  concat(other: JoinedText, sep = ' '): JoinedText {
    const anchor = this.pieces[this.pieces.length - 1]?.anchor ?? this.locate(this.text.length);
    const pieces: Piece[] = [...this.pieces];
    let at = this.text.length;
    const push = (p: Omit<Piece, 'at'>) => {
      pieces.push({ ...p, at });
      at += p.text.length;
    };
    if (sep) push({ text: sep, anchor });
    for (const p of other.pieces) push(p);
    return new JoinedText(pieces);
  }

  /** Wraps the text: prefix + this + suffix, the added text located at `anchor`. */
  wrap(prefix: string, suffix: string, anchor: FilePosition): JoinedText {
    return JoinedText.generated(prefix, anchor).concat(this, '').concat(JoinedText.generated(suffix, anchor), '');
  }

  /** File position of a character offset of the joined text. */
  locate(offset: number): FilePosition {
    let piece = this.pieces[0]!;
    for (const p of this.pieces) if (p.at <= offset) piece = p;
    if (piece.anchor) return piece.anchor;
    const src = piece.source!;
    let map = this.mappers.get(piece);
    if (!map) {
      map = scalarValueMapper(src.file, src.node);
      this.mappers.set(piece, map);
    }
    const fileOffset = map(offset - piece.at);
    return { file: src.file.name, ...src.file.position(fileOffset) };
  }
}
