/**
 * `npx yiqu posters --area CODE --out FILE.pdf`: one A4 poster per active checkpoint in poster mode
 * under an area (issue 2 §5), with a progress bar on stderr and a report of characters the fonts
 * could not draw (printed as '□', never dropped). `--fail-on-missing` exits 2 when there are any.
 */
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { loadConfig, publicUrlProblem } from '../config';
import type { AppContext } from '../context';
import { codePointLabel, posterEntries, writePostersFile, type GlyphProblem } from '../modules/places/poster-export';
import { openContext } from '../server';

export interface PostersOptions { area: string; out: string; progress?: boolean }

/**
 * Write the posters of `opts.area` to `opts.out`; report lines go to `print`.
 * @returns pages written and per-poster missing characters.
 * @throws Error for an unknown area or an area without active checkpoints in poster mode.
 */
export async function postersCommand(ctx: AppContext, opts: PostersOptions, print: (line: string) => void = console.log):
  Promise<{ pages: number; missing: GlyphProblem[] }> {
  if (!/^\d{2,12}$/.test(opts.area)) throw new Error(`--area must be an area code (2–12 digits), got "${opts.area}"`);
  const area = await ctx.db.selectFrom('areas').select(['code', 'name']).where('code', '=', opts.area).executeTakeFirst();
  if (!area) throw new Error(`unknown area code ${opts.area}`);
  const { entries, screenMode } = await posterEntries(ctx, area.code);
  const skipped = screenMode ? `${screenMode} checkpoint(s) in screen mode get no poster (a poster is refused there while the mode lasts)` : '';
  if (entries.length === 0) throw new Error(`no active checkpoints in poster mode under ${area.code} ${area.name}${skipped ? `; ${skipped}` : ''}`);
  const bar = opts.progress === false ? null : new cliProgress.SingleBar({
    format: '海报 posters [{bar}] {value}/{total} {percentage}% | ETA {eta_formatted}', hideCursor: true,
  }, cliProgress.Presets.shades_classic);
  bar?.start(entries.length, 0);
  let r: Awaited<ReturnType<typeof writePostersFile>>;
  try {
    r = await writePostersFile(ctx, entries, opts.out, (done) => bar?.update(done));
  } finally {
    bar?.stop();
  }
  print(`${r.pages} posters of ${area.code} ${area.name} → ${path.resolve(opts.out)}`);
  if (skipped) print(skipped);
  const urlProblem = publicUrlProblem(ctx.config.PUBLIC_URL);
  if (urlProblem) {
    print(`WARNING: the QR codes open ${ctx.config.PUBLIC_URL}/c/…, which ${urlProblem === 'loopback' ? 'no phone can open' : 'is not https (phones and WeChat may refuse it)'}: ` +
      'run this with the PUBLIC_URL the server has (its public https address), then print again.');
  }
  if (r.missing.length === 0) {
    print('all characters drawn (no □ placeholders)');
  } else {
    const all = [...new Set(r.missing.flatMap((m) => m.chars))];
    print(`WARNING: ${all.length} character(s) could not be drawn and print as □ on ${r.missing.length} poster(s): ` +
      all.map((c) => `${c} (${codePointLabel(c)})`).join(', '));
    for (const m of r.missing) print(`  ${m.placeName} · ${m.checkpointName}: ${m.chars.join(' ')}`);
    print('Install fonts-noto-cjk / fonts-hanazono or set YIQU_FALLBACK_FONTS, then print again.');
  }
  return r;
}

/** Adds `posters` to the `yiqu` command line. */
export function addPostersCommand(program: Command): void {
  program
    .command('posters')
    .description('print one A4 poster per active checkpoint in poster mode under an area code to a PDF')
    .requiredOption('--area <code>', 'area code: city 4108, district 410811, street 410811001 or community 410811001001')
    .requiredOption('--out <file>', 'PDF file to write, e.g. posters.pdf')
    .option('--fail-on-missing', 'exit with status 2 when a character could not be drawn')
    .action(async (o: { area: string; out: string; failOnMissing?: boolean }) => {
      const ctx = await openContext(loadConfig());
      try {
        const r = await postersCommand(ctx, { area: o.area, out: o.out, progress: process.stderr.isTTY });
        if (o.failOnMissing && r.missing.length) process.exitCode = 2;
      } finally {
        await ctx.database.close();
      }
    });
}
