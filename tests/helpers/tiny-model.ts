/**
 * Writes a tiny BERT-style model folder that transformers.js loads like a real one, so tests cover
 * the local-model and cache paths without the network. The "encoder" is one embedding lookup:
 * `last_hidden_state = Embedding[input_ids] * attention_mask`, so after mean pooling, texts that
 * share words point the same way.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DataType, model, node, tensor, valueInfo } from '../../src/embed/onnx-writer.js';

export const TINY_DIMS = 24;
/** Tokens; maxChars is derived from it (×4 characters). */
export const TINY_MAX_LENGTH = 64;

const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const WORDS = (
  'the a an is on of to and in my how do i can you what where when ' +
  'cat cats dog dogs sat sits mat rug chair ' +
  'stock market prices fell rose today shares ' +
  'reset change forgot password account login email ' +
  'weather sunny rainy cold warm alpha beta'
).split(' ');
const VOCAB = [...SPECIAL, ...WORDS, '##s', '##ed', '##ing'];

/** Deterministic pseudo-random numbers (mulberry32), so the model is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function onnxModel(): Uint8Array {
  const next = random(42);
  const table = new Float32Array(VOCAB.length * TINY_DIMS);
  // Special tokens other than [UNK] stay zero so they do not pull every text the same way.
  VOCAB.forEach((token, id) => {
    if (SPECIAL.includes(token) && token !== '[UNK]') return;
    for (let d = 0; d < TINY_DIMS; d++) table[id * TINY_DIMS + d] = next() * 2 - 1;
  });
  return model({
    inputs: [valueInfo('input_ids', DataType.INT64, ['batch', 'sequence']), valueInfo('attention_mask', DataType.INT64, ['batch', 'sequence'])],
    outputs: [valueInfo('last_hidden_state', DataType.FLOAT, ['batch', 'sequence', TINY_DIMS])],
    initializers: [tensor('embeddings', [VOCAB.length, TINY_DIMS], DataType.FLOAT, table), tensor('axis2', [1], DataType.INT64, BigInt64Array.of(2n))],
    nodes: [
      node('Gather', ['embeddings', 'input_ids'], ['looked_up']),
      node('Cast', ['attention_mask'], ['mask_float'], { to: DataType.FLOAT }),
      node('Unsqueeze', ['mask_float', 'axis2'], ['mask3']),
      node('Mul', ['looked_up', 'mask3'], ['last_hidden_state']),
    ],
  });
}

function tokenizerJson(): object {
  const special = (token: string) => ({ id: token, type_id: 0 });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: special('[CLS]') }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: special('[SEP]') }],
      pair: [
        { SpecialToken: special('[CLS]') },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: special('[SEP]') },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(VOCAB.map((token, id) => [token, id])),
    },
  };
}

/** Writes the model folder (config, tokenizer, onnx/model.onnx) into `dir`. */
export async function writeTinyModel(dir: string): Promise<void> {
  await mkdir(path.join(dir, 'onnx'), { recursive: true });
  const json = (name: string, value: object) => writeFile(path.join(dir, name), JSON.stringify(value, null, 2));
  await Promise.all([
    json('config.json', {
      model_type: 'bert',
      architectures: ['BertModel'],
      hidden_size: TINY_DIMS,
      vocab_size: VOCAB.length,
      max_position_embeddings: TINY_MAX_LENGTH,
      num_attention_heads: 1,
      num_hidden_layers: 1,
      intermediate_size: TINY_DIMS,
      type_vocab_size: 2,
      pad_token_id: 0,
    }),
    json('tokenizer_config.json', {
      tokenizer_class: 'BertTokenizer',
      model_max_length: TINY_MAX_LENGTH,
      do_lower_case: true,
      cls_token: '[CLS]',
      sep_token: '[SEP]',
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      mask_token: '[MASK]',
    }),
    json('tokenizer.json', tokenizerJson()),
    writeFile(path.join(dir, 'onnx', 'model.onnx'), onnxModel()),
  ]);
}
