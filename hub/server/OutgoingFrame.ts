import * as ws from 'ws';

/** ws's frame encoder: exported by ws 8 (`Sender.frame`), though @types/ws leaves it out. */
interface SenderStatic {
  frame(
    data: Buffer,
    options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean },
  ): Buffer[];
}
const { Sender } = ws as unknown as { Sender: SenderStatic };

/** WebSocket opcode of a text frame (RFC 6455, section 5.2). */
const textOpcode = 0x1;

/**
 * One server frame, serialised and framed ONCE for a whole fan-out: `wire` (header and payload in one
 * buffer) is written as it is to every socket, so a delivery costs one buffered write instead of a
 * string→UTF-8 conversion, a header allocation and a cork/uncork per socket.
 */
export class OutgoingFrame {
  private constructor(
    /** The JSON text as UTF-8, for a socket that cannot take a raw frame (an extension was negotiated). */
    readonly payload: Buffer,
    /** A complete, unmasked, final text frame. */
    readonly wire: Buffer,
  ) {}

  /** Serialises `frame` as JSON and frames it as one WebSocket text message. */
  static of(frame: unknown): OutgoingFrame {
    return OutgoingFrame.ofJson(JSON.stringify(frame));
  }

  /** Frames JSON text already serialised (a frame assembled from parts serialised once). */
  static ofJson(json: string): OutgoingFrame {
    const payload = Buffer.from(json);
    const parts = Sender.frame(payload, { fin: true, opcode: textOpcode, mask: false, readOnly: false, rsv1: false });
    return new OutgoingFrame(payload, Buffer.concat(parts));
  }
}
