/**
 * Decode-and-verify of pass codes: prints {"bench":"verify","where":"node","codes_per_s"} for one
 * Node process (bench/verify-node.ts). `--seconds N` (default 10) per measurement.
 */
import { benchVerifyNode } from './verify-node';

const i = process.argv.indexOf('--seconds');
const seconds = i > 0 ? Math.min(10, Number(process.argv[i + 1])) : 10;
console.log(JSON.stringify(await benchVerifyNode(seconds)));
