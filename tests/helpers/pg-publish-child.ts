// Publishes an index folder's live generation to PostgreSQL in its own process, so a test can kill
// it mid-transaction (rows written, not committed):  node --import tsx tests/helpers/pg-publish-child.ts <databaseUrl> <indexDir>
// Combine with ARCHIVIST_TEST_PAUSE_AFTER=generation-sent (src/index/test-pause.ts).
import path from 'node:path';
import pg from 'pg';
import { PostgresGenerations } from '../../src/index/pg-generations.js';
import { currentGeneration } from '../../src/index/store.js';
import { migrate } from '../../src/records/postgres/migrations.js';

const [url, indexDir] = process.argv.slice(2) as [string, string];
const pool = new pg.Pool({ connectionString: url });
await migrate(pool);
const name = await currentGeneration(indexDir);
if (!name) throw new Error(`no generation in ${indexDir}`);
await new PostgresGenerations(pool).publish(path.join(indexDir, name));
await pool.end();
process.stderr.write('done\n');
