import { shortened } from './text';
/**
 * Text from elsewhere (a model's answer, a conversation title, a search snippet, an argument that
 * commander echoes) made safe to write to a terminal. A terminal runs escape sequences it is sent:
 * OSC 0 sets the window title, OSC 52 writes the clipboard, CSI sequences move the cursor, clear
 * the screen or recolour what follows. A model can be talked into answering with those, and a
 * title or a message may hold them, so none of them reaches the terminal from Atelier.
 */

const ESC = 0x1b;
const BEL = 0x07;
const CAN = 0x18;
const SUB = 0x1a;
/** C1 controls that start a sequence on terminals that read them (8-bit CSI, OSC, DCS, SOS, PM, APC). */
const C1_CSI = 0x9b;
const C1_STRING_STARTS = new Set([0x90, 0x98, 0x9d, 0x9e, 0x9f]);
const C1_ST = 0x9c;
/** After ESC: the letters that open a control string (DCS P, SOS X, OSC ], PM ^, APC _). */
const ESC_STRING_STARTS = new Set(['P', 'X', ']', '^', '_']);

/**
 * How much of a sequence is swallowed at most. Past this, an unterminated sequence is taken to be
 * text after all (without its ESC): a stray `ESC ]` must not hide the rest of an answer.
 */
const MAX_CSI = 64;
const MAX_STRING = 16_384;

type State = 'text' | 'esc' | 'esc-intermediate' | 'csi' | 'string' | 'string-esc';

/**
 * A streaming filter: feed it text in pieces as they arrive (an escape sequence may be split
 * across two deltas) and it returns what may be printed. It keeps no text between pieces, only
 * where it is inside a sequence, so its memory stays constant.
 *
 * Dropped: ESC-introduced sequences (CSI up to its final byte, OSC/DCS/SOS/PM/APC strings up to
 * BEL or ST, two-byte and nF escapes), C1 controls (U+0080–U+009F, which 8-bit terminals read as
 * ESC sequences), and every C0 control but line feed and tab (carriage return too: it lets text
 * overwrite what was printed before it on the line).
 */
export class TerminalTextFilter {
  private state: State = 'text';
  private length = 0;

  push(text: string): string {
    let out = '';
    for (const character of text) {
      const code = character.codePointAt(0) ?? 0;
      switch (this.state) {
        case 'text':
          out += this.inText(character, code);
          break;
        case 'esc':
          if (!this.afterEsc(character, code)) out += this.inText(character, code);
          break;
        case 'esc-intermediate':
          if (code >= 0x20 && code <= 0x2f) break;
          this.state = 'text';
          if (!(code >= 0x30 && code <= 0x7e)) out += this.inText(character, code);
          break;
        case 'csi':
          this.length += 1;
          if (code >= 0x40 && code <= 0x7e) this.state = 'text';
          else if (!(code >= 0x20 && code <= 0x3f) || this.length > MAX_CSI) {
            // Not part of a CSI after all: the sequence ends, the character is read as text.
            this.state = 'text';
            out += this.inText(character, code);
          }
          break;
        case 'string':
          this.length += 1;
          if (code === BEL || code === C1_ST || code === CAN || code === SUB) this.state = 'text';
          else if (code === ESC) this.state = 'string-esc';
          else if (this.length > MAX_STRING) this.state = 'text';
          break;
        case 'string-esc':
          // ESC \ ends the string (ST); any other ESC starts a new sequence, as terminals read it.
          if (character === '\\') this.state = 'text';
          else if (!this.afterEsc(character, code)) out += this.inText(character, code);
          break;
      }
    }
    return out;
  }

  /** The end of the text: an unfinished sequence is dropped, and the filter starts afresh. */
  flush(): string {
    this.state = 'text';
    this.length = 0;
    return '';
  }

  private inText(character: string, code: number): string {
    if (code === ESC) {
      this.state = 'esc';
      return '';
    }
    if (code === C1_CSI) {
      this.enter('csi');
      return '';
    }
    if (C1_STRING_STARTS.has(code)) {
      this.enter('string');
      return '';
    }
    if (code === 0x0a || code === 0x09) return character;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return '';
    return character;
  }

  /**
   * The character after an ESC: true when it belongs to the sequence, false when the ESC stood
   * alone (dropped) and the character is to be read as text.
   */
  private afterEsc(character: string, code: number): boolean {
    if (character === '[') this.enter('csi');
    else if (ESC_STRING_STARTS.has(character)) this.enter('string');
    else if (code >= 0x20 && code <= 0x2f) this.state = 'esc-intermediate';
    else {
      this.state = 'text';
      return isSequenceByte(code); // a two-byte escape (ESC 7, ESC c, …) ends here
    }
    return true;
  }

  private enter(state: 'csi' | 'string'): void {
    this.state = state;
    this.length = 0;
  }
}

/** Whether `code` is the final byte of a two-byte escape (ESC then 0x30–0x7E), dropped with its ESC. */
function isSequenceByte(code: number): boolean {
  return code >= 0x30 && code <= 0x7e;
}

/** All of `text` through a fresh filter: for a whole value (a title, a message) at once. */
export function stripTerminalControls(text: string): string {
  const filter = new TerminalTextFilter();
  return filter.push(text) + filter.flush();
}

/** One line for a listing: controls stripped as above, line breaks and tabs as spaces, at most `maxLength` characters. */
export function terminalLine(text: string, maxLength = 200): string {
  return shortened(stripTerminalControls(text).replace(/[\n\t]+/g, ' '), maxLength);
}

/** The longest run of non-space characters shown whole; a longer one (a 10,000-character argument) is shortened. */
const MAX_RUN = 200;

/**
 * Output that quotes what a person typed (commander's "unknown command 'x'"): every control
 * character but line feed becomes U+FFFD, so an escape sequence is shown, never run, and any run
 * of more than 200 non-space characters is cut to its start and its length.
 */
export function visibleForTerminal(text: string): string {
  // eslint-disable-next-line no-control-regex -- these are exactly the characters to replace
  const visible = text.replace(/\t/g, '  ').replace(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g, '\uFFFD');
  return visible.replace(/\S{201,}/gu, (run) => (Array.from(run).length > MAX_RUN ? shortened(run, 60) : run));
}
