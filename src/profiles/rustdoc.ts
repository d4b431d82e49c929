import { RUST_ENTRY_PREFIX } from './languages.js';
import type { FormatProfile } from './types.js';

/** "🔬This is a nightly-only experimental API. (atomic_from_mut #76314)" and "Available on Unix only." */
const STATUS_NOTE = /^(?:🔬|Available on\b[^.]*\bonly\.?$)/u;

/** rustdoc: methods under their signature headings ("pub fn retain<F>(…)"), and its stability and platform notes. */
export const rustdocProfile: FormatProfile = {
  name: 'rustdoc',
  isStatusNote: (sentence) => STATUS_NOTE.test(sentence),
  isListing: () => false,
  signaturePrefix: '',
  entryPrefix: RUST_ENTRY_PREFIX,
};
