/**
 * `npx yiqu accounts create|reset-password`: the operator's way to make the first admin of a
 * deployment without the demo seed, or to let a locked-out admin back in. Prints the one-time
 * password once; the change is audited as the system.
 */
import type { Command } from 'commander';
import { loadConfig } from '../../config';
import type { AppContext } from '../../context';
import { openContext } from '../../server';
import { audit, SYSTEM_ACTOR } from '../audit/audit';
import { hashPassword } from './auth';
import { generatePassword, normalizeDisplayName, normalizeUsername } from './accounts-rules';
import { isRole, ROLE_SCOPE_DIGITS, ROLES } from './roles';

/**
 * Create an account as the operator (no creator rules; the role's area level still applies).
 * @returns the one-time password. @throws Error with a readable message.
 */
export async function createAccountAsOperator(ctx: AppContext, o: { username: string; name: string; role: string; area: string }): Promise<string> {
  if (!isRole(o.role)) throw new Error(`unknown role ${o.role} (one of ${ROLES.join(', ')})`);
  if (!ROLE_SCOPE_DIGITS[o.role].includes(o.area.length)) throw new Error(`a ${o.role} account belongs to a node of ${ROLE_SCOPE_DIGITS[o.role].join(' or ')} digits`);
  const username = normalizeUsername(o.username);
  const displayName = normalizeDisplayName(o.name);
  const area = await ctx.db.selectFrom('areas').select('code').where('code', '=', o.area).executeTakeFirst();
  if (!area) throw new Error(`unknown area ${o.area} (load it with: yiqu divisions import --city CODE)`);
  const password = generatePassword();
  const hash = await hashPassword(password);
  await ctx.db.transaction().execute(async (trx) => {
    if (await trx.selectFrom('staff').select('id').where('username', '=', username).executeTakeFirst()) throw new Error(`username ${username} is taken`);
    const row = await trx.insertInto('staff').values({
      username, display_name: displayName, role: o.role, area_code: o.area, org_id: null, checkpoint_id: null,
      password_hash: hash, must_change_password: true, created_by: null,
    }).returning('id').executeTakeFirstOrThrow();
    await audit(trx, SYSTEM_ACTOR, { action: 'account.create', areaCode: o.area, detail: { accountId: row.id, username, role: o.role, via: 'cli' } });
  });
  return password;
}

/** New one-time password for `username` as the operator; ends its sessions. @throws Error when unknown. */
export async function resetPasswordAsOperator(ctx: AppContext, rawUsername: string): Promise<string> {
  const username = rawUsername.trim().toLowerCase();
  const password = generatePassword();
  const hash = await hashPassword(password);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.updateTable('staff').set({ password_hash: hash, must_change_password: true })
      .where('username', '=', username).returning(['id', 'area_code']).executeTakeFirst();
    if (!row) throw new Error(`no account ${username}`);
    await trx.deleteFrom('staff_sessions').where('staff_id', '=', row.id).execute();
    await audit(trx, SYSTEM_ACTOR, { action: 'account.reset_password', areaCode: row.area_code, detail: { accountId: row.id, username, via: 'cli' } });
  });
  return password;
}

async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await openContext(loadConfig());
  try {
    return await fn(ctx);
  } finally {
    await ctx.database.close();
  }
}

/** Adds `accounts create` and `accounts reset-password` to the yiqu command. */
export function addAccountCommands(program: Command): void {
  const accounts = program.command('accounts').description('staff accounts (the first admin, a locked-out admin)');
  accounts.command('create')
    .description('create an account and print its one-time password')
    .requiredOption('--username <name>', 'login name: 3–40 of a-z 0-9 _ . -')
    .requiredOption('--name <display>', 'display name, e.g. 张三')
    .requiredOption('--area <code>', 'area code of its node, e.g. 4108')
    .option('--role <role>', `one of ${ROLES.join(', ')}`, 'admin')
    .action(async (o: { username: string; name: string; area: string; role: string }) => {
      const pw = await withContext((ctx) => createAccountAsOperator(ctx, o));
      console.log(`created ${o.username.toLowerCase()} (${o.role}, ${o.area}); one-time password: ${pw}`);
    });
  accounts.command('reset-password')
    .description('give an account a new one-time password and end its sessions')
    .requiredOption('--username <name>', 'login name')
    .action(async (o: { username: string }) => {
      const pw = await withContext((ctx) => resetPasswordAsOperator(ctx, o.username));
      console.log(`one-time password for ${o.username.toLowerCase()}: ${pw}`);
    });
}
