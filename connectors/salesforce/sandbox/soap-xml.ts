/**
 * A small XML reader and writer for the Metadata API's SOAP envelopes (NOTES §2.7): elements with attributes,
 * text, the five predefined entities and numeric character references, CDATA, comments and processing
 * instructions. Namespace prefixes are kept in `name` and dropped in `local`, since jsforce and Salesforce
 * match on local names (`soapenv:Envelope`, or `upsertMetadata` in a default namespace). No DTDs.
 */

export type XmlElement = {
  /** Qualified name as written, e.g. `soapenv:Body`. */
  name: string;
  /** Name without its prefix, e.g. `Body`. */
  local: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Concatenated character data directly inside the element. */
  text: string;
};

export class XmlSyntaxError extends Error {
  constructor(message: string, position: number) {
    super(`${message} at offset ${position}`);
    this.name = 'XmlSyntaxError';
  }
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(raw: string, at: number): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (_m, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    const value = ENTITIES[ref];
    if (value === undefined) throw new XmlSyntaxError(`unknown entity &${ref};`, at);
    return value;
  });
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** Parses one document; throws XmlSyntaxError on malformed input. */
export function parseXml(source: string): XmlElement {
  let pos = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const NAME = /[A-Za-z_][\w.:-]*/y;
  const ATTR = /\s+([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/y;

  while (pos < source.length) {
    const lt = source.indexOf('<', pos);
    const textEnd = lt === -1 ? source.length : lt;
    if (textEnd > pos) {
      const text = source.slice(pos, textEnd);
      if (stack.length > 0) stack[stack.length - 1].text += decode(text, pos);
      else if (text.trim() !== '') throw new XmlSyntaxError('text outside the root element', pos);
      pos = textEnd;
      continue;
    }
    if (source.startsWith('<?', pos)) {
      const end = source.indexOf('?>', pos);
      if (end === -1) throw new XmlSyntaxError('unterminated processing instruction', pos);
      pos = end + 2;
    } else if (source.startsWith('<!--', pos)) {
      const end = source.indexOf('-->', pos);
      if (end === -1) throw new XmlSyntaxError('unterminated comment', pos);
      pos = end + 3;
    } else if (source.startsWith('<![CDATA[', pos)) {
      const end = source.indexOf(']]>', pos);
      if (end === -1 || stack.length === 0) throw new XmlSyntaxError('bad CDATA section', pos);
      stack[stack.length - 1].text += source.slice(pos + 9, end);
      pos = end + 3;
    } else if (source.startsWith('<!', pos)) {
      throw new XmlSyntaxError('DTDs are not supported', pos);
    } else if (source.startsWith('</', pos)) {
      NAME.lastIndex = pos + 2;
      const match = NAME.exec(source);
      const open = stack.pop();
      if (!match || !open || open.name !== match[0])
        throw new XmlSyntaxError(`unexpected closing tag ${match?.[0] ?? ''}`, pos);
      const close = source.indexOf('>', NAME.lastIndex);
      if (close === -1 || source.slice(NAME.lastIndex, close).trim() !== '')
        throw new XmlSyntaxError('bad closing tag', pos);
      pos = close + 1;
    } else {
      NAME.lastIndex = pos + 1;
      const match = NAME.exec(source);
      if (!match) throw new XmlSyntaxError('bad element name', pos);
      const element: XmlElement = {
        name: match[0],
        local: localName(match[0]),
        attributes: {},
        children: [],
        text: '',
      };
      let cursor = NAME.lastIndex;
      for (;;) {
        ATTR.lastIndex = cursor;
        const attr = ATTR.exec(source);
        if (!attr) break;
        element.attributes[attr[1]] = decode(attr[3] ?? attr[4], cursor);
        cursor = ATTR.lastIndex;
      }
      const rest = /\s*(\/?)>/y;
      rest.lastIndex = cursor;
      const end = rest.exec(source);
      if (!end) throw new XmlSyntaxError(`bad start tag ${element.name}`, pos);
      if (stack.length > 0) stack[stack.length - 1].children.push(element);
      else if (root) throw new XmlSyntaxError('more than one root element', pos);
      else root = element;
      if (end[1] !== '/') stack.push(element);
      pos = rest.lastIndex;
    }
  }
  if (!root || stack.length > 0) throw new XmlSyntaxError('unexpected end of document', pos);
  return root;
}

/** First direct child with this local name. */
export function child(element: XmlElement | undefined, local: string): XmlElement | undefined {
  return element?.children.find((c) => c.local === local);
}

export function childrenNamed(element: XmlElement | undefined, local: string): XmlElement[] {
  return element ? element.children.filter((c) => c.local === local) : [];
}

/** Trimmed text of a direct child, or undefined when the child is absent. */
export function childText(element: XmlElement | undefined, local: string): string | undefined {
  const found = child(element, local);
  return found ? found.text.trim() : undefined;
}

/** The value of an attribute by local name (`xsi:type` matches `type` under any prefix). */
export function attribute(element: XmlElement, local: string): string | undefined {
  for (const [name, value] of Object.entries(element.attributes))
    if (localName(name) === local && !name.startsWith('xmlns')) return value;
  return undefined;
}

export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A value tree written as elements: arrays repeat the element, undefined is skipped, objects nest. */
export type XmlValue = string | number | boolean | undefined | XmlValue[] | { [name: string]: XmlValue };

export function toXml(name: string, value: XmlValue, attributes = ''): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => toXml(name, v)).join('');
  if (typeof value === 'object') {
    const inner = Object.entries(value)
      .map(([k, v]) => toXml(k, v))
      .join('');
    return inner === '' ? `<${name}${attributes}/>` : `<${name}${attributes}>${inner}</${name}>`;
  }
  return `<${name}${attributes}>${escapeXml(String(value))}</${name}>`;
}
