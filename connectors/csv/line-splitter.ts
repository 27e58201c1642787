/**
 * Cuts decoded text chunks into physical lines and numbers them from 1, without copying: the handler gets
 * the chunk and the line's [start, end) in it. Accepts `\n` and `\r\n` line ends and drops a leading UTF-8
 * byte-order mark. Only the unfinished last line of a chunk is carried over to the next.
 */
export type LineHandler = (text: string, start: number, end: number, line: number) => void;

export class LineSplitter {
  private carry = '';
  private lineNo = 0;
  private started = false;

  /** Lines handed out so far (the unfinished last line of the text pushed is not counted yet). */
  get lines(): number {
    return this.lineNo;
  }

  push(chunk: string, onLine: LineHandler): void {
    let text = this.carry.length > 0 ? this.carry + chunk : chunk;
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let pos = 0;
    while (true) {
      const nl = text.indexOf('\n', pos);
      if (nl === -1) break;
      const end = nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      onLine(text, pos, end, ++this.lineNo);
      pos = nl + 1;
    }
    this.carry = pos === 0 ? text : text.slice(pos);
  }

  /** Flushes a last line that has no line end. */
  end(onLine: LineHandler): void {
    const text = this.carry;
    if (text.length === 0) return;
    this.carry = '';
    const end = text.charCodeAt(text.length - 1) === 13 ? text.length - 1 : text.length;
    onLine(text, 0, end, ++this.lineNo);
  }
}
