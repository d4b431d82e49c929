/** Turns text into unit-length vectors. Implementations: the bundled offline encoder and transformers.js. */
export interface Embedder {
  /** Identifies model and settings; an index built with another id is rebuilt. */
  readonly id: string;
  readonly dims: number;
  /** Largest passage, in characters, that the model sees whole (it guides the splitter). */
  readonly maxChars: number;
  embedQuery(text: string): Promise<Float32Array>;
  /** Embeds passages in batches; `onProgress` gets the number done so far. */
  embedPassages(texts: string[], onProgress?: (done: number) => void): Promise<Float32Array[]>;
  close(): Promise<void>;
}
