// Runs one index build in its own process so a test can kill it mid-write:
//   node --import tsx tests/helpers/index-child.ts <indexDir> <sample|large>
// Combine with ARCHIVIST_TEST_PAUSE_AFTER=<stage> (src/index/test-pause.ts) to stop at a known point.
import { updateIndex } from '../../src/index/update.js';
import { HashEmbedder } from './hash-embedder.js';
import { blockSplitter, largeCorpus, sampleCorpus } from './index-fixtures.js';

const [indexDir, corpus] = process.argv.slice(2);
if (!indexDir || (corpus !== 'sample' && corpus !== 'large')) throw new Error('usage: index-child.ts <indexDir> <sample|large>');
await updateIndex({
  indexDir,
  documents: corpus === 'sample' ? sampleCorpus() : largeCorpus(),
  splitter: blockSplitter,
  embedder: new HashEmbedder(),
  hnsw: { m: 8, efConstruction: 64, ef: 32 },
  progress: false,
});
process.stderr.write('done\n');
