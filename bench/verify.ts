/**
 * Decode-and-verify of pass codes: one JSON line for a Node process (bench/verify-node.ts) and one
 * for the guard's gate page in Chromium (bench/verify-chromium.ts; needs /usr/bin/chromium).
 * `--seconds N` (default 10, at most 10) per measurement.
 */
import { hasCommand } from '../test/helpers/system';
import { CHROMIUM_PATH } from '../test/helpers/browser';
import { benchVerifyChromium } from './verify-chromium';
import { benchVerifyNode } from './verify-node';

const i = process.argv.indexOf('--seconds');
const seconds = i > 0 ? Math.min(10, Number(process.argv[i + 1])) : 10;
console.log(JSON.stringify(await benchVerifyNode(seconds)));
if (hasCommand(CHROMIUM_PATH)) console.log(JSON.stringify(await benchVerifyChromium(seconds)));
else process.stderr.write('Chromium not installed (npm run setup:system): no "chromium" line\n');
