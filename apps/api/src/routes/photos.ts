import multipart from '@fastify/multipart';
import {
  DomainError,
  IdParams,
  Invalid,
  MAX_PHOTO_BYTES,
  MAX_PHOTOS,
  PhotoUploadResult,
} from '@gongzhi/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addressKey } from '../lib/client-address';
import { FILE_TYPES } from '../plugins/openapi';
import type { PhotoContext } from '../services/photos/photo-files';
import { closePhotoWorkers } from '../services/photos/photo-workers';
import { readComplaintPhoto, readPhoto } from '../services/photos/read-photo';
import { type IncomingPhoto, tooManyFiles, uploadPhotos } from '../services/photos/upload-photos';
import { TRACKED_SECURITY, TrackedHeaders } from './complaints';

/** The multipart field every photo travels in. */
const FILE_FIELD = 'files';
const ANONYMOUS_UPLOADS_PER_MINUTE = 30;
const ACCOUNT_UPLOADS_PER_MINUTE = 120;
/** Login is optional: the document says either way works. */
const BEARER_OPTIONAL: Record<string, string[]>[] = [{}, { bearer: [] }];
/** Photo bytes never change under an id: the browser may keep them, but only for this viewer. */
const CACHE_FOREVER_PRIVATE = 'private, max-age=31536000, immutable';

const tooLarge = (path: string) =>
  new DomainError('too_large', 'file_too_large', `每张照片不能超过 ${MAX_PHOTO_BYTES / 1024 / 1024} MB`, [
    { path, message: '文件过大' },
  ]);

/** @fastify/multipart's errors, in our words. Anything else the parser throws is a malformed request. */
function multipartError(err: unknown, path: string): unknown {
  if (err instanceof DomainError) return err;
  switch ((err as { code?: string }).code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return tooLarge(path);
    case 'FST_FILES_LIMIT':
      return tooManyFiles(path);
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return Invalid('too_many_parts', '上传内容的字段过多', [{ path, message: '字段过多' }]);
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return Invalid('multipart_required', `请以 multipart/form-data 上传照片（字段名 ${FILE_FIELD}）`);
    default:
      return Invalid('malformed_multipart', '上传的内容不完整或格式有误，请重试', [
        { path, message: '格式有误' },
      ]);
  }
}

/** The request's files as the upload verb reads them; any other field is refused. */
async function* filesOf(req: FastifyRequest): AsyncGenerator<IncomingPhoto> {
  let index = 0;
  try {
    for await (const part of req.parts()) {
      const path = `${FILE_FIELD}[${index}]`;
      if (part.type !== 'file' || part.fieldname !== FILE_FIELD) {
        throw Invalid('unexpected_field', `只接受字段 ${FILE_FIELD}（照片文件）`, [
          { path: part.fieldname, message: '不允许的字段' },
        ]);
      }
      index++;
      yield {
        path,
        read: async () => {
          const data = await part.toBuffer().catch((err: unknown) => {
            throw multipartError(err, path);
          });
          // toBuffer misses the limit when the cut falls on the last chunk it read; busboy's flag does not.
          if (part.file.truncated) throw tooLarge(path);
          return data;
        },
      };
    }
  } catch (err) {
    throw multipartError(err, `${FILE_FIELD}[${index}]`);
  }
}

/**
 * A refused upload is answered before the rest of its body is read. Read and drop that rest, as
 * Node does with a body nobody reads; otherwise the request stays paused and holds the connection.
 */
function discardRestOfBody(req: FastifyRequest) {
  const raw = req.raw;
  if (raw.readableEnded) return;
  raw.unpipe();
  raw.removeAllListeners('data');
  raw.resume();
}

export const photoRoutes: FastifyPluginAsyncZod = async (app) => {
  // The photo worker processes stop with the app (they start again with the next upload).
  app.addHook('onClose', closePhotoWorkers);
  // Scoped to these routes: nowhere else accepts multipart.
  await app.register(multipart, {
    limits: {
      files: MAX_PHOTOS,
      fileSize: MAX_PHOTO_BYTES,
      fields: 5,
      fieldNameSize: 100,
      fieldSize: 1024,
      parts: MAX_PHOTOS + 5,
      headerPairs: 20,
    },
    throwFileSizeLimit: true,
  });

  const optionalAuth = app.authenticateIfSent;
  const photoCtx = (req: FastifyRequest): PhotoContext => ({ ...app.ctx(req), storage: app.deps.storage });

  app.post(
    '/api/photos',
    {
      onRequest: [optionalAuth],
      config: {
        rateLimit: {
          // After authentication, so accounts are counted as themselves and residents by address.
          hook: 'preHandler',
          timeWindow: '1 minute',
          max: (req) => (req.principal ? ACCOUNT_UPLOADS_PER_MINUTE : ANONYMOUS_UPLOADS_PER_MINUTE),
          keyGenerator: (req) =>
            req.principal ? `account:${req.principal.accountId}` : `ip:${addressKey(req.ip)}`,
        },
      },
      schema: {
        operationId: 'uploadPhotos',
        summary: `Upload 1–${MAX_PHOTOS} photos (multipart/form-data, field "${FILE_FIELD}") for a later issue`,
        description:
          `JPEG, PNG or WebP (decided by the file content), each up to ${MAX_PHOTO_BYTES / 1024 / 1024} MB. ` +
          'Stored upright and without ' +
          'metadata (no GPS). Logged in: the photos are the account’s. Anonymous: each photo comes back ' +
          'with an uploadToken, shown only here, that proves ownership (read it with ?uploadToken=).',
        tags: ['photos'],
        consumes: ['multipart/form-data'],
        security: BEARER_OPTIONAL,
        response: { 201: PhotoUploadResult },
      },
    },
    async (req, reply) => {
      try {
        return reply
          .status(201)
          .send(await uploadPhotos(photoCtx(req), filesOf(req), { address: addressKey(req.ip) }));
      } catch (err) {
        discardRestOfBody(req);
        throw err;
      }
    },
  );

  const Params = IdParams('照片');
  const Query = z.strictObject({ uploadToken: z.string().max(100).optional() });
  const OriginalQuery = Query.extend({ linkToken: z.string().max(100).optional() });
  const send = async (req: FastifyRequest, reply: FastifyReply, input: Parameters<typeof readPhoto>[1]) => {
    const photo = await readPhoto(photoCtx(req), input);
    return reply
      .header('content-type', photo.contentType)
      .header('cache-control', CACHE_FOREVER_PRIVATE)
      .send(photo.data);
  };

  app.get(
    '/api/photos/:id',
    {
      onRequest: [optionalAuth],
      config: { fileTypes: FILE_TYPES.JPEG },
      schema: {
        operationId: 'getPhoto',
        summary: 'The stored original of a photo (JPEG, long side at most 2560 px)',
        description:
          '?linkToken= is the signed, hour-long link WeChat content security fetches the photo with ' +
          '(mediaCheckAsync); it opens this photo only.',
        tags: ['photos'],
        security: BEARER_OPTIONAL,
        params: Params,
        querystring: OriginalQuery,
      },
    },
    async (req, reply) =>
      send(req, reply, {
        id: req.params.id,
        uploadToken: req.query.uploadToken,
        size: 'original',
        link:
          req.query.linkToken === undefined
            ? undefined
            : { token: req.query.linkToken, secret: app.deps.settings.jwtSecret },
      }),
  );

  app.get(
    '/api/photos/:id/:size',
    {
      onRequest: [optionalAuth],
      config: { fileTypes: FILE_TYPES.PHOTO },
      schema: {
        operationId: 'getPhotoSize',
        summary: 'A smaller size of a photo (WebP): display (1280 px) or thumb (320 px)',
        tags: ['photos'],
        security: BEARER_OPTIONAL,
        params: Params.extend({
          size: z.enum(['display', 'thumb']),
        }),
        querystring: Query,
      },
    },
    async (req, reply) =>
      send(req, reply, { id: req.params.id, size: req.params.size, uploadToken: req.query.uploadToken }),
  );

  // The reporter's way in: the tracking code and its secret (in a header, never in the address).
  const ComplaintPhotoParams = z.strictObject({ code: z.string().min(4).max(20), id: Params.shape.id });
  const complaintPhotoSchema = { tags: ['complaints'], security: TRACKED_SECURITY, headers: TrackedHeaders };
  const sendComplaintPhoto = async (
    req: FastifyRequest,
    reply: FastifyReply,
    input: Parameters<typeof readComplaintPhoto>[1],
  ) => {
    const photo = await readComplaintPhoto(photoCtx(req), input);
    return reply
      .header('content-type', photo.contentType)
      .header('cache-control', CACHE_FOREVER_PRIVATE)
      .send(photo.data);
  };
  // Fresh objects per route: the rate limiter appends its hook to the route's onRequest array.
  const complaintPhotoRate = () => ({ rateLimit: { max: 300, timeWindow: '1 minute' } });

  app.get(
    '/api/complaints/:code/photos/:id',
    {
      onRequest: [app.authenticateIfSent],
      config: { ...complaintPhotoRate(), fileTypes: FILE_TYPES.JPEG },
      schema: {
        ...complaintPhotoSchema,
        operationId: 'getComplaintPhoto',
        summary: "A photo of one's complaint (JPEG original); the secret goes in X-Tracking-Secret",
        params: ComplaintPhotoParams,
      },
    },
    async (req, reply) =>
      sendComplaintPhoto(req, reply, {
        ...req.params,
        size: 'original',
        secret: req.headers['x-tracking-secret'],
      }),
  );

  app.get(
    '/api/complaints/:code/photos/:id/:size',
    {
      onRequest: [app.authenticateIfSent],
      config: { ...complaintPhotoRate(), fileTypes: FILE_TYPES.PHOTO },
      schema: {
        ...complaintPhotoSchema,
        operationId: 'getComplaintPhotoSize',
        summary: "A smaller size of a photo of one's complaint (WebP): display (1280 px) or thumb (320 px)",
        params: ComplaintPhotoParams.extend({ size: z.enum(['display', 'thumb']) }),
      },
    },
    async (req, reply) =>
      sendComplaintPhoto(req, reply, { ...req.params, secret: req.headers['x-tracking-secret'] }),
  );
};
