import { crc32 } from 'node:zlib';

/**
 * Encodes one message of AWS's binary event-stream format (application/vnd.amazon.eventstream):
 *
 *   total length (uint32) | headers length (uint32) | prelude CRC32 (uint32)
 *   headers: name length (uint8), name, value type (uint8; 7 = string), value length (uint16), value
 *   payload | message CRC32 (uint32, over everything before it)
 *
 * Written here rather than borrowed from the AWS SDK, so the fake does not share the decoder's
 * assumptions: if either side gets the format wrong, the real SDK fails to parse and a test fails.
 */
export function encodeEventMessage(headers: Record<string, string>, payload: Uint8Array): Buffer {
  const headerBytes = Buffer.concat(
    Object.entries(headers).map(([name, value]) => {
      const nameBytes = Buffer.from(name, 'utf8');
      const valueBytes = Buffer.from(value, 'utf8');
      const header = Buffer.alloc(1 + nameBytes.length + 1 + 2 + valueBytes.length);
      let offset = header.writeUInt8(nameBytes.length, 0);
      offset += nameBytes.copy(header, offset);
      offset = header.writeUInt8(7, offset);
      offset = header.writeUInt16BE(valueBytes.length, offset);
      valueBytes.copy(header, offset);
      return header;
    }),
  );
  const totalLength = 12 + headerBytes.length + payload.length + 4;
  const message = Buffer.alloc(totalLength);
  message.writeUInt32BE(totalLength, 0);
  message.writeUInt32BE(headerBytes.length, 4);
  message.writeUInt32BE(crc32(message.subarray(0, 8)), 8);
  headerBytes.copy(message, 12);
  Buffer.from(payload).copy(message, 12 + headerBytes.length);
  message.writeUInt32BE(crc32(message.subarray(0, totalLength - 4)), totalLength - 4);
  return message;
}

/** An `event` message with a JSON payload, as ConverseStream sends them. */
export function eventMessage(eventType: string, body: object): Buffer {
  return encodeEventMessage(
    { ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' },
    Buffer.from(JSON.stringify(body), 'utf8'),
  );
}

/** A modelled exception inside the stream (throttlingException, modelStreamErrorException, …). */
export function exceptionMessage(exceptionType: string, message: string): Buffer {
  return encodeEventMessage(
    { ':exception-type': exceptionType, ':content-type': 'application/json', ':message-type': 'exception' },
    Buffer.from(JSON.stringify({ message }), 'utf8'),
  );
}

/** An event message whose payload was changed after its CRC was computed: the client must refuse it. */
export function corruptedEventMessage(message: Buffer): Buffer {
  const copy = Buffer.from(message);
  // A byte inside the payload (before the trailing 4-byte message CRC).
  const at = copy.length - 6;
  copy[at] = (copy[at] ?? 0) ^ 0xff;
  return copy;
}
