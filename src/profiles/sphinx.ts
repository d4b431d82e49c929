import { PYTHON_ENTRY_PREFIX, PYTHON_SIGNATURE_PREFIX } from './languages.js';
import type { FormatProfile } from './types.js';

/**
 * "Availability: Unix.", "Available on Unix only." and a bare "New in version 3.4.": "Changed in
 * version 3.7: …" and "Deprecated since …" say why, and are sentences.
 */
const STATUS_NOTE = /^(?:Availability:|Available on\b[^.]*\bonly\.?$|New in version [\d.]+\.?$)/u;

/** Sphinx (the Python docs): Python's entries, and its availability and version notes. */
export const sphinxProfile: FormatProfile = {
  name: 'sphinx',
  isStatusNote: (sentence) => STATUS_NOTE.test(sentence),
  isListing: () => false,
  signaturePrefix: PYTHON_SIGNATURE_PREFIX,
  entryPrefix: PYTHON_ENTRY_PREFIX,
};
