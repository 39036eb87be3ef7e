import { CommunityParams, DomainError, QrCodeList, QrLink, QrResolution } from '@gongzhi/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getBuildingQrCode } from '../services/qr/get-building-qr-code';
import { listQrCodes } from '../services/qr/list-qr-codes';
import { resolveQrCode } from '../services/qr/resolve-qr-code';

/** Where the H5 app's complaint form lives; it reads `qr` and calls GET /api/qr/:code. */
export const complaintPagePath = (code: string) => `/#/pages/complain/index?qr=${encodeURIComponent(code)}`;

/** A scan that fails lands in a phone browser: a page, not JSON. */
const refusalPage = (title: string, message: string) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title>
<style>body{font-family:sans-serif;margin:0;padding:48px 24px;text-align:center;color:#1a1a1a}
h1{font-size:22px;color:#b3261e}p{font-size:17px;line-height:1.6}</style></head>
<body><h1>${title}</h1><p>${message}</p></body></html>
`;

const CodeParams = z.strictObject({ code: z.string() });

/**
 * Building and facility QR codes (docs/domain.md §14). All public: the codes hang in stairwells, and
 * only their signature, not secrecy, keeps a forged one out.
 */
export const qrRoutes: FastifyPluginAsyncZod = async (app) => {
  const qr = () => ({ secret: app.deps.settings.qrSecret, publicUrl: app.deps.settings.PUBLIC_URL });

  app.get(
    '/api/qr/:code',
    {
      schema: {
        operationId: 'resolveQrCode',
        summary: '解析扫码得到的楼栋/设施二维码，用于预填问题上报表单',
        tags: ['qr'],
        params: CodeParams,
        response: { 200: QrResolution },
      },
    },
    async (req) => resolveQrCode({ ctx: app.ctx(req), secret: qr().secret, code: req.params.code }),
  );

  app.get(
    '/q/:code',
    {
      config: { errorPages: [400, 404], redirect: 'To the H5 complaint page of the building' },
      schema: {
        operationId: 'openQrCode',
        summary: '二维码短链接：有效则跳转到 H5 上报页，无效则显示说明页',
        tags: ['qr'],
        params: CodeParams,
      },
    },
    async (req, reply) => {
      try {
        resolveQrCode({ ctx: app.ctx(req), secret: qr().secret, code: req.params.code });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const invalid = err.code === 'qr_invalid';
        return reply
          .status(invalid ? 400 : 404)
          .type('text/html; charset=utf-8')
          .send(refusalPage(invalid ? '二维码无效' : '二维码已失效', err.message));
      }
      return reply.redirect(complaintPagePath(req.params.code), 302);
    },
  );

  app.get(
    '/api/communities/:key/buildings/:n/qr',
    {
      schema: {
        operationId: 'getBuildingQrCode',
        summary: '一栋楼的二维码链接',
        tags: ['qr'],
        params: z.strictObject({ key: z.string().max(64), n: z.coerce.number().int().positive() }),
        response: { 200: QrLink },
      },
    },
    async (req) =>
      getBuildingQrCode({
        ctx: app.ctx(req),
        qr: qr(),
        communityKey: req.params.key,
        building: req.params.n,
      }),
  );

  app.get(
    '/api/communities/:key/qr-codes',
    {
      schema: {
        operationId: 'listQrCodes',
        summary: '小区全部二维码（楼栋、无楼号区域、设施），供打印',
        tags: ['qr'],
        params: CommunityParams,
        response: { 200: QrCodeList },
      },
    },
    async (req) => listQrCodes({ ctx: app.ctx(req), qr: qr(), communityKey: req.params.key }),
  );
};
