import type { Document, Generator } from '../types.js';
import { genericProfile } from './generic.js';
import { nodejsProfile } from './nodejs.js';
import { rustdocProfile } from './rustdoc.js';
import { sphinxProfile } from './sphinx.js';
import type { FormatProfile } from './types.js';

/** The profile of each generator the HTML reader recognises; mdBook and DocBook need no rules of their own. */
const PROFILES: Record<Generator, FormatProfile> = {
  sphinx: sphinxProfile,
  rustdoc: rustdocProfile,
  nodejs: nodejsProfile,
  mdbook: genericProfile,
  docbook: genericProfile,
};

/** The format rules for a document: its generator's profile, or the generic one (Markdown, text, other HTML, no document). */
export function profileFor(doc: Pick<Document, 'generator'> | undefined): FormatProfile {
  return doc?.generator === undefined ? genericProfile : PROFILES[doc.generator] ?? genericProfile;
}
