import { PYTHON_ENTRY_PREFIX, PYTHON_SIGNATURE_PREFIX, RUST_ENTRY_PREFIX } from './languages.js';
import type { FormatProfile } from './types.js';

/**
 * Markdown, plain text and HTML from a generator without a profile. A team's notes may document
 * any language, so the entry shapes of every language a profile knows are recognised; no
 * generator's status notes or parameter lists are, since ordinary prose can read like them.
 */
export const genericProfile: FormatProfile = {
  name: 'generic',
  isStatusNote: () => false,
  isListing: () => false,
  signaturePrefix: PYTHON_SIGNATURE_PREFIX,
  entryPrefix: `${PYTHON_ENTRY_PREFIX}|${RUST_ENTRY_PREFIX}`,
};
