import { Unauthorized } from '@gongzhi/domain';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FILE_TYPES } from '../plugins/openapi';
import { applyMediaCheckVerdict, pushSignatureValid } from '../services/content-security/photo-checks';

/** WeChat signs every push (and the URL check) in the query; it may add more parameters. */
const PushQuery = z.looseObject({
  signature: z.string().max(100).optional(),
  timestamp: z.string().max(20).optional(),
  nonce: z.string().max(100).optional(),
});
const VerifyQuery = PushQuery.extend({ echostr: z.string().max(200).optional() });

/**
 * A push in plain-text JSON mode (数据格式 JSON, 明文模式). The mediaCheckAsync verdict
 * (Event wxa_media_check) carries trace_id and result.suggest; any other event on this URL is
 * acknowledged and ignored.
 */
const MediaCheckPush = z.looseObject({
  Event: z.string().max(100).optional(),
  trace_id: z.string().max(200).optional(),
  result: z
    .looseObject({ suggest: z.enum(['pass', 'review', 'risky']), label: z.number().optional() })
    .optional(),
});

/**
 * WeChat's message push (消息推送) for content security: the mini-program's push URL is
 * PUBLIC_URL/api/wechat/media-check with Token = WECHAT_PUSH_TOKEN. Every request must carry
 * WeChat's signature, sha1(sorted [Token, timestamp, nonce]); anything else is refused with 401
 * before its body is read.
 */
export const wechatPushRoutes: FastifyPluginAsyncZod = async (app) => {
  const signed = async (req: FastifyRequest) => {
    const q = req.query as z.infer<typeof PushQuery>;
    if (!pushSignatureValid(app.deps.settings.WECHAT_PUSH_TOKEN, q)) {
      throw Unauthorized('push_signature_invalid', '消息推送签名无效');
    }
  };
  const PUSH_RATE = { rateLimit: { max: 600, timeWindow: '1 minute' } };

  app.get(
    '/api/wechat/media-check',
    {
      onRequest: [signed],
      config: { ...PUSH_RATE, fileTypes: FILE_TYPES.TEXT, errorAnswers: [401] },
      schema: {
        operationId: 'verifyWechatPushUrl',
        summary: "WeChat's check of the push URL when it is configured: echoes echostr (signed by WeChat)",
        tags: ['wechat'],
        security: [],
        querystring: VerifyQuery,
      },
    },
    async (req, reply) => reply.type('text/plain; charset=utf-8').send(req.query.echostr ?? ''),
  );

  app.post(
    '/api/wechat/media-check',
    {
      onRequest: [signed],
      config: { ...PUSH_RATE, fileTypes: FILE_TYPES.TEXT, errorAnswers: [401] },
      schema: {
        operationId: 'wechatMediaCheckPush',
        summary:
          "WeChat pushes a photo's content-security verdict (mediaCheckAsync); 'risky' hides the photo and tells its owner",
        description:
          'Signed by WeChat (signature, timestamp, nonce in the query; 401 push_signature_invalid otherwise). ' +
          'Answered "success" for every signed push, an unknown trace_id included, so WeChat does not retry.',
        tags: ['wechat'],
        security: [],
        querystring: PushQuery,
        body: MediaCheckPush,
      },
    },
    async (req, reply) => {
      const { trace_id: traceId, result } = req.body;
      if (traceId && result) {
        const outcome = await applyMediaCheckVerdict(app.ctx(req), { traceId, suggest: result.suggest });
        req.log.info({ traceId, suggest: result.suggest, outcome }, 'mediaCheckAsync verdict');
      }
      return reply.type('text/plain; charset=utf-8').send('success');
    },
  );
};
