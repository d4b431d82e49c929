// Holds the bot claim on a data folder until told to exit (stdin closed) or killed:
//   node --import tsx tests/helpers/bot-process-child.ts <dataDir>
import { claimBotProcess } from '../../src/records/bot-process.js';

await claimBotProcess(process.argv[2]!);
process.stdout.write('claimed\n');
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
