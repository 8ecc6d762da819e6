/**
 * Builds the Fastify application: plugins, error handling, OpenAPI, and every module's routes.
 * Modules are plain `register(app, ctx)` functions listed in MODULES below.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import rateLimit from '@fastify/rate-limit';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { AppContext } from './context';
import { installErrorHandler } from './lib/http-errors';
import { pickLang } from './lib/errors';
import { registerSystemRoutes } from './modules/system/routes';
import { registerTokenRoutes } from './modules/tokens/routes';
import { registerStaffRoutes } from './modules/staff/routes';
import { registerAccountRoutes } from './modules/staff/accounts-routes';
import { registerAreaRoutes } from './modules/areas/routes';
import { registerAuditRoutes } from './modules/audit/routes';
import { registerWebRoutes } from './modules/web/routes';
import { registerPlacesRoutes } from './modules/places/routes';
import { registerResidentCheckinRoutes } from './modules/checkin/resident-routes';
import { registerGateRoutes } from './modules/checkin/gate-routes';
import { registerCheckinQueryRoutes } from './modules/checkin/query-routes';
import { registerAlertRoutes } from './modules/alerts/routes';
import { registerPersonsRoutes } from './modules/persons/routes';
import { registerPassRoutes } from './modules/pass/routes';
import { registerCardRoutes } from './modules/cards/routes';
import { registerCaseRoutes } from './modules/cases/routes';
import { registerContactRoutes } from './modules/contacts/routes';
import { registerKeyPersonRoutes } from './modules/keypersons/routes';
import { registerArrivalRoutes } from './modules/arrivals/routes';
import { registerTracingRoutes } from './modules/tracing/routes';
import { registerReportRoutes } from './modules/reports/routes';
import { registerGateScanRoutes } from './modules/gatescan/routes';
import { registerHouseholdRoutes } from './modules/households/routes';
import { registerSensorRoutes } from './modules/sensors/routes';
import { registerCertificateRoutes } from './modules/certificates/routes';
import { registerCertificateDocumentRoutes } from './modules/certificates/certificate-routes';

/** The app as modules see it: request bodies and queries typed from their zod schemas. */
export type ZApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;
export type ModuleRegister = (app: ZApp, ctx: AppContext) => void | Promise<void>;

/** Longest path parameter accepted, characters (longer answers 414). */
export const MAX_PARAM_LENGTH = 1000;

/** Largest request body accepted, bytes (spreadsheets for import are the largest: 10 MB). */
export const BODY_LIMIT_BYTES = 12 * 1024 * 1024;

// One line per module; keep registerWebRoutes last (it owns the catch-all page routes).
const MODULES: ModuleRegister[] = [
  registerSystemRoutes,
  registerTokenRoutes,
  registerStaffRoutes,
  registerAccountRoutes,
  registerAreaRoutes,
  registerAuditRoutes,
  registerPlacesRoutes,
  registerResidentCheckinRoutes,
  registerGateRoutes,
  registerCheckinQueryRoutes,
  registerAlertRoutes,
  registerPersonsRoutes,
  registerPassRoutes,
  registerCardRoutes,
  registerGateScanRoutes,
  registerCaseRoutes,
  registerContactRoutes,
  registerKeyPersonRoutes,
  registerArrivalRoutes,
  registerTracingRoutes,
  registerReportRoutes,
  registerHouseholdRoutes,
  registerSensorRoutes,
  registerCertificateRoutes,
  registerCertificateDocumentRoutes,
  registerWebRoutes,
];

export async function buildApp(ctx: AppContext, extra: ModuleRegister[] = []): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    // a path parameter may be a checkpoint screen code (a signed JWS, ~330 characters: issue 3 §5)
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    logController: new LogController({ disableRequestLogging: true }), // a log line per scan would cost more than the scan
    trustProxy: true, // runs behind an https reverse proxy in production (docs/CONFIGURATION.md)
    genReqId: () => Math.random().toString(36).slice(2, 10),
    // refusals the router writes before any hook (a path not valid UTF-8, a parameter over 100
    // characters) answer in our {error} shape and the caller's language too
    frameworkErrors: (err, req, reply) => {
      const lang = pickLang(req.headers['accept-language']);
      const status: 400 | 414 = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
      void (reply as unknown as { status(n: number): { send(b: unknown): unknown } }).status(status).send({
        error: { code: 'bad_url', message: lang === 'zh' ? '网址不正确' : 'Malformed URL' },
      });
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Yiqu 一区一码 API', version: '0.1.0', description: 'Community epidemic prevention and control' },
      components: { securitySchemes: { staff: { type: 'apiKey', in: 'cookie', name: 'yiqu_staff' } } },
    },
    transform: jsonSchemaTransform,
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  for (const register of [...MODULES, ...extra]) await register(app.withTypeProvider<ZodTypeProvider>(), ctx);
  return app;
}
