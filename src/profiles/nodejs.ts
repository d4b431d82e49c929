import type { FormatProfile } from './types.js';

/** The version line that opens an entry: "Added in: v0.1.16". */
const STATUS_NOTE = /^Added in: v[\d.]+$/u;

/** A parameter and its type ("...paths <string>", "options <Object>") or the return type ("Returns: <Buffer>"). */
const PARAMETER = /^(?:(?:\.\.\.)?[\w.$[\]]+:? <[^>]+>|Returns: <)/;

/** The Node.js API docs: entries headed by their signature, opened by a version line and parameter lines. */
export const nodejsProfile: FormatProfile = {
  name: 'nodejs',
  isStatusNote: (sentence) => STATUS_NOTE.test(sentence),
  isListing: (line) => PARAMETER.test(line),
  signaturePrefix: '',
  entryPrefix: '',
};
