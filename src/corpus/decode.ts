// Bytes to text. A mis-decoded file would be quoted as mojibake, so nothing is guessed: the text is
// UTF-8 unless the file says otherwise, with a byte order mark (Windows editors save UTF-16 so) or,
// in HTML, with the charset it declares (older generated docs are ISO-8859-1). HTML is read the
// way a browser reads it, which includes the one fallback browsers have: a page that declares
// nothing and is not UTF-8 is windows-1252, as a reader opening it would see it.

/** Browsers look for a declared charset in the first 1,024 bytes. */
const PRESCAN_BYTES = 1024;
const META_CHARSET = /<meta\s[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i;
const XML_ENCODING = /^<\?xml\s[^>]*?encoding\s*=\s*["']([\w.:-]+)["']/;

/** The file's text with `\n` line ends and no byte order mark; throws when the bytes do not decode. */
export function decodeDocument(raw: Uint8Array, format: 'html' | 'plain'): string {
  const declared = format === 'html' ? declaredCharset(raw) : undefined;
  const { encoding, bom } = byteOrderMark(raw) ?? { encoding: declared ?? (format === 'html' && !isUtf8(raw) ? 'windows-1252' : 'utf-8'), bom: 0 };
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    throw new Error(`the file declares the charset "${encoding}", which is not supported`);
  }
  let text: string;
  try {
    text = decoder.decode(raw.subarray(bom));
  } catch {
    throw new Error(`the file is not valid ${decoder.encoding === 'utf-8' ? 'UTF-8' : decoder.encoding}`);
  }
  if (decoder.encoding === 'windows-1252') text = text.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252[c.charCodeAt(0) - 0x80] || c);
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/**
 * Bytes 0x80–0x9f in windows-1252, which Node 20's decoder gives as C1 controls (as ISO-8859-1
 * would): curly quotes, dashes, the euro sign. Empty where windows-1252 has no character either.
 */
const WINDOWS_1252 = [
  '€', '', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '', 'Ž', '',
  '', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '', 'ž', 'Ÿ',
];

function byteOrderMark(raw: Uint8Array): { encoding: string; bom: number } | undefined {
  if (raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (raw[0] === 0xff && raw[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (raw[0] === 0xfe && raw[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  return undefined;
}

/**
 * The charset an HTML file declares in its first 1,024 bytes (`<meta charset>`, the `http-equiv`
 * Content-Type, or the XML declaration of XHTML). A UTF-16 label there is read as UTF-8, as
 * browsers do: the declaration itself was readable as ASCII.
 */
function declaredCharset(raw: Uint8Array): string | undefined {
  const head = Buffer.from(raw.subarray(0, PRESCAN_BYTES)).toString('latin1');
  const label = (META_CHARSET.exec(head) ?? XML_ENCODING.exec(head))?.[1]?.toLowerCase();
  return label?.startsWith('utf-16') ? 'utf-8' : label;
}

function isUtf8(raw: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(raw);
    return true;
  } catch {
    return false;
  }
}
