/**
 * Posters of every active checkpoint under an area (issue 2 §5): the data for `writePosters`, a
 * report of characters the fonts cannot draw (known before printing), and a file writer for the CLI.
 */
import fs from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { AppContext } from '../../context';
import { missingGlyphs } from '../../lib/pdf-fonts';
import { kindLabel } from './kinds';
import { activeCheckpointsUnder } from './repository';
import { writePosters, type PosterItem } from './posters';

/** Largest number of posters one console download renders (a whole district is ~1 000). */
export const MAX_POSTERS_PER_DOWNLOAD = 5_000;

export interface PosterEntry { checkpointId: string; item: PosterItem }

/**
 * The posters to print under `areaCode`: its active checkpoints (checkpoint and place enabled,
 * active token) in poster mode, in print order. `screenMode` counts the active ones left out: at a
 * checkpoint in screen mode a poster is refused while the mode lasts (issue 3 §5), so printing one
 * would only send residents to a code that does not work.
 */
export async function posterEntries(ctx: AppContext, areaCode: string): Promise<{ entries: PosterEntry[]; screenMode: number }> {
  const rows = await activeCheckpointsUnder(ctx.db, areaCode);
  const printed = rows.filter((r) => r.mode === 'poster');
  return { screenMode: rows.length - printed.length, entries: printed.map((r) => ({
    checkpointId: r.checkpoint_id,
    item: {
      token: r.token, placeName: r.place_name, placeKind: kindLabel(r.kind), checkpointName: r.checkpoint_name,
      communityName: r.community_name, streetName: r.street_name ?? '', districtName: r.district_name ?? '',
    },
  })) };
}

/** A poster whose text has characters no font can draw (they print as '□'). */
export interface GlyphProblem { checkpointId: string; placeName: string; checkpointName: string; chars: string[] }

/**
 * Characters that would print as '□', per poster, computed from the same text and weights the
 * poster uses (place and gate bold, area line regular), without rendering.
 */
export function glyphProblems(entries: PosterEntry[]): GlyphProblem[] {
  const out: GlyphProblem[] = [];
  for (const { checkpointId, item } of entries) {
    const area = [item.districtName, item.streetName, item.communityName, item.placeKind].join('');
    const chars = [...new Set([
      ...missingGlyphs(item.placeName, { bold: true }), ...missingGlyphs(item.checkpointName, { bold: true }), ...missingGlyphs(area),
    ])];
    if (chars.length) out.push({ checkpointId, placeName: item.placeName, checkpointName: item.checkpointName, chars });
  }
  return out;
}

/** 'U+2020C' notation of a character (for ASCII-only places such as HTTP headers). */
export { codePointLabel } from '../../lib/pdf-reply';

/**
 * Write the posters of `entries` to the file `out` (via a temporary file renamed at the end, so a
 * failure never leaves a half PDF). @returns pages written and the characters printed as '□'.
 * @throws RangeError when `entries` is empty; file system errors as they come.
 */
export async function writePostersFile(ctx: AppContext, entries: PosterEntry[], out: string,
  onProgress?: (done: number, total: number) => void): Promise<{ pages: number; missing: GlyphProblem[] }> {
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    const r = await writePosters(entries.map((e) => e.item), { publicUrl: ctx.config.PUBLIC_URL, onProgress }, fs.createWriteStream(tmp));
    await rename(tmp, out);
    const missing = r.missing.map((m) => ({ checkpointId: entries[m.item]!.checkpointId, placeName: entries[m.item]!.item.placeName,
      checkpointName: entries[m.item]!.item.checkpointName, chars: m.chars }));
    return { pages: r.pages, missing };
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
