/**
 * The load generator's process (see http-load.ts): runs the LoadSpec given as its argument
 * and prints one JSON LoadResult line on stdout.
 */
import type { LoadResult, LoadSpec } from './http-load.js';
import { requestsOf } from './outgoing-request.js';
import { pacedLoad } from './paced-load.js';
import { saturatingLoad } from './saturating-load.js';

const spec = JSON.parse(process.argv[2]!) as LoadSpec;
const next = requestsOf(spec.traffic);
const { overallRate } = spec;
const result: LoadResult = overallRate === undefined ? await saturatingLoad(spec, next) : await pacedLoad({ ...spec, overallRate }, next);
// Exit at once: a keep-alive socket or a timer of the load's must not hold the process open.
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
