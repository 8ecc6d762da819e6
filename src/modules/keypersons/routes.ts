/**
 * Key-person routes (issue 5 §2–§4, SPEC S3), scoped and audited by ./service.ts, ./tasks.ts and ./observations.ts.
 *   GET  /api/key-persons                    ?areaCode&category&state=open|closed&q (keypersons.read) → {keyPersons}
 *   GET  /api/key-persons/:id                one key person: record, tasks, observations, door sensors (keypersons.read, audited)
 *   GET  /api/key-persons/:id/team-candidates  staff who may fill each place of the team (keypersons.manage)
 *   POST /api/key-persons                    a key person entered by hand (keypersons.manage) → 201 / 200 existing
 *   PUT  /api/key-persons/:id/team           the five-for-one team (keypersons.manage)
 *   POST /api/key-persons/:id/close          解除管控 with a reason (keypersons.manage)
 *   POST /api/key-persons/:id/observations   a doctor's visit: temperature and symptoms (observation.record)
 *   GET  /api/tasks/mine                     the caller's own tasks (tasks.work)
 *   POST /api/tasks                          a member's task for a key person of their team (tasks.work)
 *   POST /api/tasks/:id/state                the assignee moves the task on (tasks.work)
 *   GET  /api/r/observations                 the phone's persons who report today, am/pm done (device cookie)
 *   POST /api/r/observations                 the person's own twice-daily report from the phone (device cookie)
 * `:id` of a key person is its key_persons id or, for a contact under observation, the contact id.
 */
import { z } from 'zod';
import { errorResponses } from '../../lib/http-schemas';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { JOBS } from '../system/jobs';
import { deviceFromRequest } from '../persons/devices';
import { staffGuard } from '../staff/auth';
import { dateIn, textIn } from '../cases/routes';
import { isFever } from '../checkin/temperature';
import { sensorOut } from '../sensors/routes';
import { keyPersonDetail, teamCandidates, type ObservationView } from './detail';
import { reportsDue, type ReportDue } from './resident';
import { MISSED_REPORT_JOB, recordVisit, selfReport, SYMPTOMS } from './observations';
import { MEASURE_RETENTION_JOB } from './retention';
import { assignTeam, closeKeyPerson, createKeyPerson, listKeyPersons, MANUAL_CATEGORIES, type KeyPersonView } from './service';
import { createTask, MEMBER_TASK_KINDS, myTasks, setTaskState, type TaskView } from './tasks';

const errors = errorResponses;
const idParams = z.object({ id: z.string().uuid() });
const CATEGORIES = ['returnee', 'fever', 'close_contact', 'secondary_contact', 'home_isolation', 'centralized_isolation', 'medical_observation'] as const;
const MEASURES = ['centralized_isolation', 'home_isolation', 'health_monitoring', 'medical_observation'] as const;
const TEAM = ['street_cadre', 'community_worker', 'doctor', 'police', 'counsellor'] as const;

const keyPersonOut = z.object({
  id: z.string(), keyPersonId: z.string().nullable(), contactId: z.string().nullable(), personId: z.string(), maskedName: z.string(),
  category: z.enum(CATEGORIES), measure: z.enum(MEASURES), communityCode: z.string(), startOn: z.string(), endOn: z.string().nullable(),
  day: z.number(), of: z.number().nullable(), state: z.enum(['open', 'closed']), closedOn: z.string().nullable(),
  lastTemperature: z.number().nullable(), lastFever: z.boolean(), lastReportOn: z.string().nullable(), openTasks: z.number(),
  team: z.array(z.object({ role: z.enum(TEAM), staffId: z.string(), name: z.string() })),
}) satisfies z.ZodType<KeyPersonView & { lastFever: boolean }>;
const taskOut = z.object({
  id: z.string(), keyPersonId: z.string(), personId: z.string(), maskedName: z.string(), communityCode: z.string(),
  kind: z.enum(['registration', 'referral', 'visit', 'living_service', 'fever', 'missed_report', 'door_open', 'sensor_silent', 'battery_low']),
  title: z.string(), detail: z.record(z.string(), z.unknown()), state: z.enum(['open', 'in_progress', 'done', 'cancelled']),
  dueAt: z.string().nullable(), createdAt: z.string(), doneAt: z.string().nullable(), outcome: z.string().nullable(),
  assigneeId: z.string().nullable(), assigneeName: z.string().nullable(),
}) satisfies z.ZodType<TaskView>;
const SLOT = z.enum(['am', 'pm']);
const observationIn = {
  slot: SLOT, temperature: z.number().nullable(), symptoms: z.array(z.enum(SYMPTOMS)).max(SYMPTOMS.length).default([]),
};
const observationView = z.object({
  id: z.string(), reportOn: z.string(), slot: SLOT, temperature: z.number().nullable(), symptoms: z.array(z.string()), fever: z.boolean(),
  source: z.enum(['self', 'doctor']), reportedAtChina: z.string(),
}) satisfies z.ZodType<ObservationView>;
const staffCandidate = z.array(z.object({ staffId: z.string(), name: z.string(), role: z.string(), areaCode: z.string() }));
const reportDueOut = z.object({
  personId: z.string(), maskedName: z.string(), keyPersonId: z.string(), category: z.enum(CATEGORIES), measure: z.string(),
  day: z.number(), of: z.number().nullable(), endOn: z.string().nullable(), todayOn: z.string(),
  slots: z.object({ am: z.boolean(), pm: z.boolean() }), amDue: z.string(), pmDue: z.string(),
}) satisfies z.ZodType<ReportDue>;
const observationOut = z.object({
  reportId: z.string(), keyPersonId: z.string(), reportOn: z.string(), fever: z.boolean(), tasks: z.number(), contactEndOn: z.string().nullable(),
});

/** Registers the routes above, the missed-report job and the retention purge of measure records. */
export function registerKeyPersonRoutes(app: ZApp, ctx: AppContext) {
  /** A key person as answered: with whether its last temperature is a fever (isFever, SPEC S1). */
  const out = (k: KeyPersonView) => ({ ...k, lastFever: k.lastTemperature !== null && isFever(k.lastTemperature, ctx.config) });
  if (!JOBS.includes(MISSED_REPORT_JOB)) JOBS.push(MISSED_REPORT_JOB);
  if (!JOBS.includes(MEASURE_RETENTION_JOB)) JOBS.push(MEASURE_RETENTION_JOB);
  const read = staffGuard(ctx, 'keypersons.read');
  const manage = staffGuard(ctx, 'keypersons.manage');
  const work = staffGuard(ctx, 'tasks.work');
  const record = staffGuard(ctx, 'observation.record');

  app.get('/api/key-persons', {
    preHandler: read,
    schema: {
      tags: ['keypersons'], summary: 'Key persons of an area (contacts under observation included, live), day N of M, last temperature, tasks, team (audited)',
      querystring: z.object({
        areaCode: z.string().regex(/^\d{2,12}$/).optional(), category: z.enum(CATEGORIES).optional(),
        state: z.enum(['open', 'closed']).optional(), q: textIn(100).optional(),
      }),
      response: { 200: z.object({ keyPersons: z.array(keyPersonOut) }), ...errors },
    },
  }, async (req) => ({ keyPersons: (await listKeyPersons(ctx, req.staff!, req.query)).map(out) }));

  app.get('/api/key-persons/:id', {
    preHandler: read,
    schema: {
      tags: ['keypersons'], summary: 'One key person (key person or contact id): record, all team tasks, observation reports, door sensors (audited)',
      params: idParams,
      response: { 200: z.object({ keyPerson: keyPersonOut, tasks: z.array(taskOut), observations: z.array(observationView), sensors: z.array(sensorOut) }), ...errors },
    },
  }, async (req) => {
    const d = await keyPersonDetail(ctx, req.staff!, req.params.id);
    return { ...d, keyPerson: out(d.keyPerson) };
  });

  app.get('/api/key-persons/:id/team-candidates', {
    preHandler: manage,
    schema: {
      tags: ['keypersons'], summary: '五包一: active accounts that may fill each place of the team (role fits, area covers the community)',
      params: idParams,
      response: { 200: z.object({ candidates: z.object({ street_cadre: staffCandidate, community_worker: staffCandidate, doctor: staffCandidate,
        police: staffCandidate, counsellor: staffCandidate }) }), ...errors },
    },
  }, async (req) => ({ candidates: await teamCandidates(ctx, req.staff!, req.params.id) }));

  app.post('/api/key-persons', {
    preHandler: manage,
    schema: {
      tags: ['keypersons'], summary: 'Enter a key person by hand (audited); an open record of the same person and category is updated',
      body: z.object({
        personId: z.string().uuid(), category: z.enum(MANUAL_CATEGORIES), measure: z.enum(MEASURES), startOn: dateIn,
        endOn: dateIn.nullish(), communityCode: z.string().regex(/^\d{12}$/).nullish(),
      }),
      response: { 201: z.object({ keyPerson: keyPersonOut, existing: z.boolean() }), 200: z.object({ keyPerson: keyPersonOut, existing: z.boolean() }), ...errors },
    },
  }, async (req, reply) => {
    const r = await createKeyPerson(ctx, req.staff!, req.body);
    return reply.status(r.created ? 201 : 200).send({ keyPerson: out(r.keyPerson), existing: !r.created });
  });

  app.put('/api/key-persons/:id/team', {
    preHandler: manage,
    schema: {
      tags: ['keypersons'], summary: '五包一: assign the five-person team (active accounts whose role fits and whose area covers the community; audited)',
      params: idParams,
      body: z.object({
        street_cadre: z.string().uuid(), community_worker: z.string().uuid(), doctor: z.string().uuid(), police: z.string().uuid(), counsellor: z.string().uuid(),
      }),
      response: { 200: z.object({ keyPerson: keyPersonOut }), ...errors },
    },
  }, async (req) => ({ keyPerson: out(await assignTeam(ctx, req.staff!, req.params.id, req.body)) }));

  app.post('/api/key-persons/:id/close', {
    preHandler: manage,
    schema: {
      tags: ['keypersons'], summary: 'Close a key person (解除管控) with a reason (audited); contacts close by their release',
      params: idParams, body: z.object({ reason: textIn(500) }), response: { 200: z.object({ keyPerson: keyPersonOut }), ...errors },
    },
  }, async (req) => ({ keyPerson: out(await closeKeyPerson(ctx, req.staff!, req.params.id, req.body.reason)) }));

  app.post('/api/key-persons/:id/observations', {
    preHandler: record,
    schema: {
      tags: ['keypersons'], summary: 'A doctor\'s observation visit: temperature and symptoms (fever raises team tasks; audited)',
      params: idParams, body: z.object({ ...observationIn, reportOn: dateIn.nullish() }), response: { 201: observationOut, ...errors },
    },
  }, async (req, reply) => reply.status(201).send(await recordVisit(ctx, req.staff!, req.params.id, req.body)));

  app.get('/api/tasks/mine', {
    preHandler: work,
    schema: {
      tags: ['keypersons'], summary: 'The caller\'s own team tasks (active by default; audited)',
      querystring: z.object({ state: z.enum(['active', 'done', 'all']).optional() }),
      response: { 200: z.object({ tasks: z.array(taskOut) }), ...errors },
    },
  }, async (req) => ({ tasks: await myTasks(ctx, req.staff!, req.query.state) }));

  app.post('/api/tasks', {
    preHandler: work,
    schema: {
      tags: ['keypersons'], summary: 'A team member\'s task for a key person of their team: registration, referral, visit, living service (audited)',
      body: z.object({
        keyPersonId: z.string().uuid(), kind: z.enum(MEMBER_TASK_KINDS), title: textIn(400), note: textIn(1000).nullish(),
        dueAt: z.string().datetime({ offset: true }).nullish(), assigneeId: z.string().uuid().nullish(),
      }),
      response: { 201: z.object({ task: taskOut }), ...errors },
    },
  }, async (req, reply) => reply.status(201).send({ task: await createTask(ctx, req.staff!, req.body) }));

  app.post('/api/tasks/:id/state', {
    preHandler: work,
    schema: {
      tags: ['keypersons'], summary: 'The assignee starts, completes (a living service with its outcome) or cancels a task (audited)',
      params: idParams, body: z.object({ state: z.enum(['in_progress', 'done', 'cancelled']), outcome: textIn(1000).nullish() }),
      response: { 200: z.object({ task: taskOut }), ...errors },
    },
  }, async (req) => ({ task: await setTaskState(ctx, req.staff!, req.params.id, req.body) }));

  app.get('/api/r/observations', {
    schema: {
      tags: ['resident'], summary: 'The persons on this phone who report temperature and symptoms twice daily, and whether today\'s am/pm are in (China date)',
      response: { 200: z.object({ persons: z.array(reportDueOut) }), ...errors },
    },
  }, async (req) => ({ persons: await reportsDue(ctx, await deviceFromRequest(ctx, req)) }));

  app.post('/api/r/observations', {
    schema: {
      tags: ['keypersons'], summary: 'The person\'s own twice-daily temperature and symptoms from the phone (device cookie; fever raises team tasks)',
      body: z.object({ personId: z.string().uuid(), ...observationIn }),
      response: { 201: z.object({ reports: z.array(observationOut) }), ...errors },
    },
  }, async (req, reply) => {
    const { personId, ...o } = req.body;
    return reply.status(201).send({ reports: await selfReport(ctx, await deviceFromRequest(ctx, req), personId, o) });
  });
}
