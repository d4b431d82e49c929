// What differs between documentation generators and the languages they document: the lines that
// note an entry's status, the lines that list parameters, and the words an API entry's line opens
// with. The search core asks a document's profile (see registry.ts) and names no generator itself.

/** One documentation format's rules, passed into the general quote and code-name algorithms. */
export interface FormatProfile {
  /** For logs and tests: "sphinx", "rustdoc", "nodejs", "generic". */
  name: string;
  /**
   * Whether a sentence (trimmed at its start) notes an entry's status and says nothing of what it
   * does ("Added in: v0.1.16"): quoted only when nothing else is, and never padding a short quote.
   */
  isStatusNote(sentence: string): boolean;
  /** Whether a line (trimmed) lists a parameter or return type rather than saying something: it pads no quote. */
  isListing(line: string): boolean;
  /**
   * Words a signature line may open with before the name it declares, as a regular expression
   * source matched at the line's start, its trailing spaces included ("classmethod ", "@"). Empty:
   * none.
   */
  signaturePrefix: string;
  /**
   * Words that may open the line of an entry listed under its owner by its bare name, as a
   * regular expression source matched at the line's start, its trailing spaces included
   * ("coroutine ", "pub fn "): the method listed under its class. Empty: none.
   */
  entryPrefix: string;
}
