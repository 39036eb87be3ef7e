import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/** Liveness and readiness probes: a load balancer asks every few seconds; their successes say nothing. */
const PROBES = new Set(['/health', '/ready']);

/**
 * The access log (docs/operations.md, "Watching the logs"): one line a request, when its answer is
 * sent — `request completed` with the request's `reqId`, the method, the URL without its secrets
 * (the logger's `req` serializer, lib/log-url.ts), the client address, the status and the time
 * taken — instead of Fastify's two (`incoming request` and `request completed`), which cost about
 * 40 % of a light request's time. A failed answer is logged as before (`request errored`, and the
 * error handler's own lines); a successful probe (`/health`, `/ready` answering 200) is not logged.
 */
export class AccessLog extends LogController {
  override incomingRequest() {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    if (error) {
      reply.log.error(
        { req: request, res: reply, err: error, responseTime: reply.elapsedTime },
        'request errored',
      );
      return;
    }
    if (reply.statusCode === 200 && PROBES.has(request.routeOptions.url ?? '')) return;
    reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}
