// The client's language: every preset's own texts in en, es and pt, negotiation (req.language,
// Accept-Language q-values, the first locale), the headers, per-language messages and the hooks.

import createError from 'http-errors';
import request from 'supertest';
import {
  type EnvelopeOptions,
  type ErrorHandlerOptions,
  type PresetName,
  envelope,
  errorHandler,
  notFound,
  rateLimit,
  requestId,
} from '../index';
import { EXPRESS_FLAVORS, type Flavor, type Handler, createApp, expressOf } from './helpers/create-app';
import { expectEnvelope } from './helpers/expect-envelope';

interface PresetCase {
  format: PresetName;
  options: Record<string, unknown>;
  responses: [string, string, number, string][];
}

/** Every preset's package texts in the three languages: [language, path, status, exact body]. */
const PRESET_CASES: PresetCase[] = [
  {
    format: 'vbapi',
    options: {},
    responses: [
      [
        'en',
        '/invalid',
        400,
        '{"data":null,"error":{"type":"https://httpstatuses.com/400","title":"Bad Request","status":400,"detail":"Validation failed: email: is required","instance":"/invalid"},"debug":{"activityId":"req-1"}}',
      ],
      [
        'en',
        '/crash',
        500,
        '{"data":null,"error":{"type":"https://httpstatuses.com/500","title":"Internal Server Error","status":500,"detail":"Internal Server Error","instance":"/crash"},"debug":{"activityId":"req-1"}}',
      ],
      [
        'en',
        '/nope',
        404,
        '{"data":null,"error":{"type":"https://httpstatuses.com/404","title":"Not Found","status":404,"detail":"Not Found","instance":"/nope"},"debug":{"activityId":"req-1"}}',
      ],
      [
        'en',
        '/limited',
        429,
        '{"data":null,"error":{"type":"https://httpstatuses.com/429","title":"Too Many Requests","status":429,"detail":"Too many requests, please try again later.","instance":"/limited"},"debug":{"activityId":"req-1"}}',
      ],
      [
        'en',
        '/body',
        400,
        '{"data":null,"error":{"type":"https://httpstatuses.com/400","title":"Bad Request","status":400,"detail":"Validation failed: Malformed request body","instance":"/body"},"debug":{"activityId":"req-1"}}',
      ],
      [
        'es',
        '/invalid',
        400,
        '{"data":null,"error":{"type":"https://httpstatuses.com/400","title":"Solicitud incorrecta","status":400,"detail":"Error de validación: email: is required","instance":"/invalid"},"debug":{"activityId":"req-1"}}',
      ],
      [
        'es',
        '/crash',
        500,
        '{"data":null,"error":{"type":"https://httpstatuses.com/500","title":"Error interno del servidor","status":500,"detail":"Error interno del servidor","instance":"/crash"},"debug":{"activityId":"req-1"}}',
      ],
      [
        'es',
        '/nope',
        404,
        '{"data":null,"error":{"type":"https://httpstatuses.com/404","title":"No encontrado","status":404,"detail":"No encontrado","instance":"/nope"},"debug":{"activityId":"req-1"}}',
      ],
      [
        'es',
        '/limited',
        429,
        '{"data":null,"error":{"type":"https://httpstatuses.com/429","title":"Demasiadas solicitudes","status":429,"detail":"Demasiadas solicitudes, inténtelo de nuevo más tarde.","instance":"/limited"},"debug":{"activityId":"req-1"}}',
      ],
      [
        'es',
        '/body',
        400,
        '{"data":null,"error":{"type":"https://httpstatuses.com/400","title":"Solicitud incorrecta","status":400,"detail":"Error de validación: Cuerpo de la solicitud mal formado","instance":"/body"},"debug":{"activityId":"req-1"}}',
      ],
      [
        'pt',
        '/invalid',
        400,
        '{"data":null,"error":{"type":"https://httpstatuses.com/400","title":"Requisição inválida","status":400,"detail":"Falha na validação: email: is required","instance":"/invalid"},"debug":{"activityId":"req-1"}}',
      ],
      [
        'pt',
        '/crash',
        500,
        '{"data":null,"error":{"type":"https://httpstatuses.com/500","title":"Erro interno do servidor","status":500,"detail":"Erro interno do servidor","instance":"/crash"},"debug":{"activityId":"req-1"}}',
      ],
      [
        'pt',
        '/nope',
        404,
        '{"data":null,"error":{"type":"https://httpstatuses.com/404","title":"Não encontrado","status":404,"detail":"Não encontrado","instance":"/nope"},"debug":{"activityId":"req-1"}}',
      ],
      [
        'pt',
        '/limited',
        429,
        '{"data":null,"error":{"type":"https://httpstatuses.com/429","title":"Requisições demais","status":429,"detail":"Muitas requisições, tente novamente mais tarde.","instance":"/limited"},"debug":{"activityId":"req-1"}}',
      ],
      [
        'pt',
        '/body',
        400,
        '{"data":null,"error":{"type":"https://httpstatuses.com/400","title":"Requisição inválida","status":400,"detail":"Falha na validação: Corpo da requisição malformado","instance":"/body"},"debug":{"activityId":"req-1"}}',
      ],
    ],
  },
  {
    format: 'backendResponse',
    options: {},
    responses: [
      [
        'en',
        '/invalid',
        422,
        '{"ok":false,"type":"error","action":"error","data":null,"message":"Error de validación: email: is required","meta":null}',
      ],
      [
        'en',
        '/crash',
        500,
        '{"ok":false,"type":"error","action":"error","data":null,"message":"Ocurrió un error interno en el servidor.","meta":null}',
      ],
      ['en', '/nope', 404, '{"ok":false,"type":"error","action":"error","data":null,"message":"No encontrado","meta":null}'],
      [
        'en',
        '/limited',
        429,
        '{"ok":false,"type":"error","action":"error","data":null,"message":"Demasiadas solicitudes, inténtelo de nuevo más tarde.","meta":null}',
      ],
      [
        'en',
        '/body',
        422,
        '{"ok":false,"type":"error","action":"error","data":null,"message":"Error de validación: Cuerpo de la solicitud mal formado","meta":null}',
      ],
      [
        'es',
        '/invalid',
        422,
        '{"ok":false,"type":"error","action":"error","data":null,"message":"Error de validación: email: is required","meta":null}',
      ],
      [
        'es',
        '/crash',
        500,
        '{"ok":false,"type":"error","action":"error","data":null,"message":"Ocurrió un error interno en el servidor.","meta":null}',
      ],
      ['es', '/nope', 404, '{"ok":false,"type":"error","action":"error","data":null,"message":"No encontrado","meta":null}'],
      [
        'es',
        '/limited',
        429,
        '{"ok":false,"type":"error","action":"error","data":null,"message":"Demasiadas solicitudes, inténtelo de nuevo más tarde.","meta":null}',
      ],
      [
        'es',
        '/body',
        422,
        '{"ok":false,"type":"error","action":"error","data":null,"message":"Error de validación: Cuerpo de la solicitud mal formado","meta":null}',
      ],
      [
        'pt',
        '/invalid',
        422,
        '{"ok":false,"type":"error","action":"error","data":null,"message":"Error de validación: email: is required","meta":null}',
      ],
      [
        'pt',
        '/crash',
        500,
        '{"ok":false,"type":"error","action":"error","data":null,"message":"Ocurrió un error interno en el servidor.","meta":null}',
      ],
      ['pt', '/nope', 404, '{"ok":false,"type":"error","action":"error","data":null,"message":"No encontrado","meta":null}'],
      [
        'pt',
        '/limited',
        429,
        '{"ok":false,"type":"error","action":"error","data":null,"message":"Demasiadas solicitudes, inténtelo de nuevo más tarde.","meta":null}',
      ],
      [
        'pt',
        '/body',
        422,
        '{"ok":false,"type":"error","action":"error","data":null,"message":"Error de validación: Cuerpo de la solicitud mal formado","meta":null}',
      ],
    ],
  },
  {
    format: 'wispanel',
    options: {},
    responses: [
      [
        'en',
        '/invalid',
        400,
        '{"success":false,"code":"VALIDATION_ERROR","error":"Validation failed: email: is required","message":"Validation failed: email: is required","status":400}',
      ],
      [
        'en',
        '/crash',
        500,
        '{"success":false,"code":"INTERNAL_ERROR","error":"Internal Server Error","message":"Internal Server Error","status":500}',
      ],
      ['en', '/nope', 404, '{"success":false,"code":"NOT_FOUND","error":"Not Found","message":"Not Found","status":404}'],
      [
        'en',
        '/limited',
        429,
        '{"success":false,"code":"RATE_LIMITED","error":"Too many requests, please try again later.","message":"Too many requests, please try again later.","status":429}',
      ],
      [
        'en',
        '/body',
        400,
        '{"success":false,"code":"VALIDATION_ERROR","error":"Validation failed: Malformed request body","message":"Validation failed: Malformed request body","status":400}',
      ],
      [
        'es',
        '/invalid',
        400,
        '{"success":false,"code":"VALIDATION_ERROR","error":"Error de validación: email: is required","message":"Error de validación: email: is required","status":400}',
      ],
      [
        'es',
        '/crash',
        500,
        '{"success":false,"code":"INTERNAL_ERROR","error":"Error interno del servidor","message":"Error interno del servidor","status":500}',
      ],
      ['es', '/nope', 404, '{"success":false,"code":"NOT_FOUND","error":"No encontrado","message":"No encontrado","status":404}'],
      [
        'es',
        '/limited',
        429,
        '{"success":false,"code":"RATE_LIMITED","error":"Demasiadas solicitudes, inténtelo de nuevo más tarde.","message":"Demasiadas solicitudes, inténtelo de nuevo más tarde.","status":429}',
      ],
      [
        'es',
        '/body',
        400,
        '{"success":false,"code":"VALIDATION_ERROR","error":"Error de validación: Cuerpo de la solicitud mal formado","message":"Error de validación: Cuerpo de la solicitud mal formado","status":400}',
      ],
      [
        'pt',
        '/invalid',
        400,
        '{"success":false,"code":"VALIDATION_ERROR","error":"Falha na validação: email: is required","message":"Falha na validação: email: is required","status":400}',
      ],
      [
        'pt',
        '/crash',
        500,
        '{"success":false,"code":"INTERNAL_ERROR","error":"Erro interno do servidor","message":"Erro interno do servidor","status":500}',
      ],
      ['pt', '/nope', 404, '{"success":false,"code":"NOT_FOUND","error":"Não encontrado","message":"Não encontrado","status":404}'],
      [
        'pt',
        '/limited',
        429,
        '{"success":false,"code":"RATE_LIMITED","error":"Muitas requisições, tente novamente mais tarde.","message":"Muitas requisições, tente novamente mais tarde.","status":429}',
      ],
      [
        'pt',
        '/body',
        400,
        '{"success":false,"code":"VALIDATION_ERROR","error":"Falha na validação: Corpo da requisição malformado","message":"Falha na validação: Corpo da requisição malformado","status":400}',
      ],
    ],
  },
  {
    format: 'wispanel',
    options: { variant: 'portal' },
    responses: [
      [
        'en',
        '/invalid',
        422,
        '{"success":false,"error":"Validation failed","code":"VALIDATION_ERROR","details":{"email":["is required"]}}',
      ],
      ['en', '/crash', 500, '{"success":false,"error":"Internal Server Error","code":"INTERNAL_ERROR"}'],
      ['en', '/nope', 404, '{"success":false,"error":"Not Found","code":"NOT_FOUND"}'],
      ['en', '/limited', 429, '{"success":false,"error":"Too many requests, please try again later.","code":"RATE_LIMITED"}'],
      [
        'en',
        '/body',
        422,
        '{"success":false,"error":"Validation failed","code":"VALIDATION_ERROR","details":{"body":["Malformed request body"]}}',
      ],
      [
        'es',
        '/invalid',
        422,
        '{"success":false,"error":"Error de validación","code":"VALIDATION_ERROR","details":{"email":["is required"]}}',
      ],
      ['es', '/crash', 500, '{"success":false,"error":"Error interno del servidor","code":"INTERNAL_ERROR"}'],
      ['es', '/nope', 404, '{"success":false,"error":"No encontrado","code":"NOT_FOUND"}'],
      ['es', '/limited', 429, '{"success":false,"error":"Demasiadas solicitudes, inténtelo de nuevo más tarde.","code":"RATE_LIMITED"}'],
      [
        'es',
        '/body',
        422,
        '{"success":false,"error":"Error de validación","code":"VALIDATION_ERROR","details":{"body":["Cuerpo de la solicitud mal formado"]}}',
      ],
      [
        'pt',
        '/invalid',
        422,
        '{"success":false,"error":"Falha na validação","code":"VALIDATION_ERROR","details":{"email":["is required"]}}',
      ],
      ['pt', '/crash', 500, '{"success":false,"error":"Erro interno do servidor","code":"INTERNAL_ERROR"}'],
      ['pt', '/nope', 404, '{"success":false,"error":"Não encontrado","code":"NOT_FOUND"}'],
      ['pt', '/limited', 429, '{"success":false,"error":"Muitas requisições, tente novamente mais tarde.","code":"RATE_LIMITED"}'],
      [
        'pt',
        '/body',
        422,
        '{"success":false,"error":"Falha na validação","code":"VALIDATION_ERROR","details":{"body":["Corpo da requisição malformado"]}}',
      ],
    ],
  },
  {
    format: 'wispanel',
    options: { variant: 'license' },
    responses: [
      [
        'en',
        '/invalid',
        422,
        '{"valid":false,"error":"Invalid request data","code":"VALIDATION_ERROR","details":{"email":["is required"]}}',
      ],
      ['en', '/crash', 500, '{"valid":false,"error":"Internal Server Error","code":"INTERNAL_ERROR"}'],
      ['en', '/nope', 404, '{"valid":false,"error":"Not Found","code":"NOT_FOUND"}'],
      ['en', '/limited', 429, '{"valid":false,"error":"Too many requests, please try again later.","code":"RATE_LIMITED"}'],
      [
        'en',
        '/body',
        422,
        '{"valid":false,"error":"Invalid request data","code":"VALIDATION_ERROR","details":{"body":["Malformed request body"]}}',
      ],
      [
        'es',
        '/invalid',
        422,
        '{"valid":false,"error":"Datos de la solicitud no válidos","code":"VALIDATION_ERROR","details":{"email":["is required"]}}',
      ],
      ['es', '/crash', 500, '{"valid":false,"error":"Error interno del servidor","code":"INTERNAL_ERROR"}'],
      ['es', '/nope', 404, '{"valid":false,"error":"No encontrado","code":"NOT_FOUND"}'],
      ['es', '/limited', 429, '{"valid":false,"error":"Demasiadas solicitudes, inténtelo de nuevo más tarde.","code":"RATE_LIMITED"}'],
      [
        'es',
        '/body',
        422,
        '{"valid":false,"error":"Datos de la solicitud no válidos","code":"VALIDATION_ERROR","details":{"body":["Cuerpo de la solicitud mal formado"]}}',
      ],
      [
        'pt',
        '/invalid',
        422,
        '{"valid":false,"error":"Dados da requisição inválidos","code":"VALIDATION_ERROR","details":{"email":["is required"]}}',
      ],
      ['pt', '/crash', 500, '{"valid":false,"error":"Erro interno do servidor","code":"INTERNAL_ERROR"}'],
      ['pt', '/nope', 404, '{"valid":false,"error":"Não encontrado","code":"NOT_FOUND"}'],
      ['pt', '/limited', 429, '{"valid":false,"error":"Muitas requisições, tente novamente mais tarde.","code":"RATE_LIMITED"}'],
      [
        'pt',
        '/body',
        422,
        '{"valid":false,"error":"Dados da requisição inválidos","code":"VALIDATION_ERROR","details":{"body":["Corpo da requisição malformado"]}}',
      ],
    ],
  },
  {
    format: 'wispanel',
    options: { variant: 'lean' },
    responses: [
      ['en', '/invalid', 400, '{"success":false,"error":"Validation failed: email: is required","code":"VALIDATION_ERROR"}'],
      ['en', '/crash', 500, '{"success":false,"error":"Internal Server Error","code":"INTERNAL_ERROR"}'],
      ['en', '/nope', 404, '{"success":false,"error":"Not Found","code":"NOT_FOUND"}'],
      ['en', '/limited', 429, '{"success":false,"error":"Too many requests, please try again later.","code":"RATE_LIMITED"}'],
      ['en', '/body', 400, '{"success":false,"error":"Validation failed: Malformed request body","code":"VALIDATION_ERROR"}'],
      ['es', '/invalid', 400, '{"success":false,"error":"Error de validación: email: is required","code":"VALIDATION_ERROR"}'],
      ['es', '/crash', 500, '{"success":false,"error":"Error interno del servidor","code":"INTERNAL_ERROR"}'],
      ['es', '/nope', 404, '{"success":false,"error":"No encontrado","code":"NOT_FOUND"}'],
      ['es', '/limited', 429, '{"success":false,"error":"Demasiadas solicitudes, inténtelo de nuevo más tarde.","code":"RATE_LIMITED"}'],
      ['es', '/body', 400, '{"success":false,"error":"Error de validación: Cuerpo de la solicitud mal formado","code":"VALIDATION_ERROR"}'],
      ['pt', '/invalid', 400, '{"success":false,"error":"Falha na validação: email: is required","code":"VALIDATION_ERROR"}'],
      ['pt', '/crash', 500, '{"success":false,"error":"Erro interno do servidor","code":"INTERNAL_ERROR"}'],
      ['pt', '/nope', 404, '{"success":false,"error":"Não encontrado","code":"NOT_FOUND"}'],
      ['pt', '/limited', 429, '{"success":false,"error":"Muitas requisições, tente novamente mais tarde.","code":"RATE_LIMITED"}'],
      ['pt', '/body', 400, '{"success":false,"error":"Falha na validação: Corpo da requisição malformado","code":"VALIDATION_ERROR"}'],
    ],
  },
  {
    format: 'wispanel',
    options: { variant: 'bare' },
    responses: [
      ['en', '/invalid', 400, '{"error":"Validation failed: email: is required"}'],
      ['en', '/crash', 500, '{"error":"Internal Server Error"}'],
      ['en', '/nope', 404, '{"error":"Not Found"}'],
      ['en', '/limited', 429, '{"error":"Too many requests, please try again later."}'],
      ['en', '/body', 400, '{"error":"Validation failed: Malformed request body"}'],
      ['es', '/invalid', 400, '{"error":"Error de validación: email: is required"}'],
      ['es', '/crash', 500, '{"error":"Error interno del servidor"}'],
      ['es', '/nope', 404, '{"error":"No encontrado"}'],
      ['es', '/limited', 429, '{"error":"Demasiadas solicitudes, inténtelo de nuevo más tarde."}'],
      ['es', '/body', 400, '{"error":"Error de validación: Cuerpo de la solicitud mal formado"}'],
      ['pt', '/invalid', 400, '{"error":"Falha na validação: email: is required"}'],
      ['pt', '/crash', 500, '{"error":"Erro interno do servidor"}'],
      ['pt', '/nope', 404, '{"error":"Não encontrado"}'],
      ['pt', '/limited', 429, '{"error":"Muitas requisições, tente novamente mais tarde."}'],
      ['pt', '/body', 400, '{"error":"Falha na validação: Corpo da requisição malformado"}'],
    ],
  },
  {
    format: 'webServiceReturn',
    options: {},
    responses: [
      [
        'en',
        '/invalid',
        200,
        '{"WebServiceReturn":{"Status":"wrsFailed","ErrorCode":"WSR-400","Message":"email: is required","Actor":"","ReturnQuestion":null}}',
      ],
      [
        'en',
        '/crash',
        500,
        '{"WebServiceReturn":{"Status":"wrsFailed","ErrorCode":"WSR-500","Message":"Internal Server Error","Actor":"","ReturnQuestion":null}}',
      ],
      [
        'en',
        '/nope',
        200,
        '{"WebServiceReturn":{"Status":"wrsFailed","ErrorCode":"WSR-404","Message":"Not Found","Actor":"","ReturnQuestion":null}}',
      ],
      [
        'en',
        '/limited',
        200,
        '{"WebServiceReturn":{"Status":"wrsFailed","ErrorCode":"WSR-429","Message":"Too many requests, please try again later.","Actor":"","ReturnQuestion":null}}',
      ],
      [
        'en',
        '/body',
        200,
        '{"WebServiceReturn":{"Status":"wrsFailed","ErrorCode":"WSR-400","Message":"Malformed request body","Actor":"","ReturnQuestion":null}}',
      ],
      [
        'es',
        '/invalid',
        200,
        '{"WebServiceReturn":{"Status":"wrsFailed","ErrorCode":"WSR-400","Message":"email: is required","Actor":"","ReturnQuestion":null}}',
      ],
      [
        'es',
        '/crash',
        500,
        '{"WebServiceReturn":{"Status":"wrsFailed","ErrorCode":"WSR-500","Message":"Error interno del servidor","Actor":"","ReturnQuestion":null}}',
      ],
      [
        'es',
        '/nope',
        200,
        '{"WebServiceReturn":{"Status":"wrsFailed","ErrorCode":"WSR-404","Message":"No encontrado","Actor":"","ReturnQuestion":null}}',
      ],
      [
        'es',
        '/limited',
        200,
        '{"WebServiceReturn":{"Status":"wrsFailed","ErrorCode":"WSR-429","Message":"Demasiadas solicitudes, inténtelo de nuevo más tarde.","Actor":"","ReturnQuestion":null}}',
      ],
      [
        'es',
        '/body',
        200,
        '{"WebServiceReturn":{"Status":"wrsFailed","ErrorCode":"WSR-400","Message":"Cuerpo de la solicitud mal formado","Actor":"","ReturnQuestion":null}}',
      ],
      [
        'pt',
        '/invalid',
        200,
        '{"WebServiceReturn":{"Status":"wrsFailed","ErrorCode":"WSR-400","Message":"email: is required","Actor":"","ReturnQuestion":null}}',
      ],
      [
        'pt',
        '/crash',
        500,
        '{"WebServiceReturn":{"Status":"wrsFailed","ErrorCode":"WSR-500","Message":"Erro interno do servidor","Actor":"","ReturnQuestion":null}}',
      ],
      [
        'pt',
        '/nope',
        200,
        '{"WebServiceReturn":{"Status":"wrsFailed","ErrorCode":"WSR-404","Message":"Não encontrado","Actor":"","ReturnQuestion":null}}',
      ],
      [
        'pt',
        '/limited',
        200,
        '{"WebServiceReturn":{"Status":"wrsFailed","ErrorCode":"WSR-429","Message":"Muitas requisições, tente novamente mais tarde.","Actor":"","ReturnQuestion":null}}',
      ],
      [
        'pt',
        '/body',
        200,
        '{"WebServiceReturn":{"Status":"wrsFailed","ErrorCode":"WSR-400","Message":"Corpo da requisição malformado","Actor":"","ReturnQuestion":null}}',
      ],
    ],
  },
  {
    format: 'statusOk',
    options: {},
    responses: [
      ['en', '/invalid', 200, '{"status":"error","code":"validation_error","text":"Validation failed: email: is required"}'],
      ['en', '/crash', 500, '{"status":"error","code":"internal_server_error","text":"Internal Server Error"}'],
      ['en', '/nope', 404, '{"status":"error","code":"not_found","text":"Not Found"}'],
      ['en', '/limited', 429, '{"status":"error","code":"too_many_requests","text":"Too many requests, please try again later."}'],
      ['en', '/body', 400, '{"status":"error","code":"validation_error","text":"Validation failed: Malformed request body"}'],
      ['es', '/invalid', 200, '{"status":"error","code":"validation_error","text":"Error de validación: email: is required"}'],
      ['es', '/crash', 500, '{"status":"error","code":"internal_server_error","text":"Error interno del servidor"}'],
      ['es', '/nope', 404, '{"status":"error","code":"not_found","text":"No encontrado"}'],
      [
        'es',
        '/limited',
        429,
        '{"status":"error","code":"too_many_requests","text":"Demasiadas solicitudes, inténtelo de nuevo más tarde."}',
      ],
      ['es', '/body', 400, '{"status":"error","code":"validation_error","text":"Error de validación: Cuerpo de la solicitud mal formado"}'],
      ['pt', '/invalid', 200, '{"status":"error","code":"validation_error","text":"Falha na validação: email: is required"}'],
      ['pt', '/crash', 500, '{"status":"error","code":"internal_server_error","text":"Erro interno do servidor"}'],
      ['pt', '/nope', 404, '{"status":"error","code":"not_found","text":"Não encontrado"}'],
      ['pt', '/limited', 429, '{"status":"error","code":"too_many_requests","text":"Muitas requisições, tente novamente mais tarde."}'],
      ['pt', '/body', 400, '{"status":"error","code":"validation_error","text":"Falha na validação: Corpo da requisição malformado"}'],
    ],
  },
  {
    format: 'jsend',
    options: {},
    responses: [
      ['en', '/invalid', 400, '{"status":"fail","data":{"email":"is required"}}'],
      ['en', '/crash', 500, '{"status":"error","message":"Internal Server Error"}'],
      ['en', '/nope', 404, '{"status":"fail","data":{"message":"Not Found"}}'],
      ['en', '/limited', 429, '{"status":"fail","data":{"message":"Too many requests, please try again later."}}'],
      ['en', '/body', 400, '{"status":"fail","data":{"body":"Malformed request body"}}'],
      ['es', '/invalid', 400, '{"status":"fail","data":{"email":"is required"}}'],
      ['es', '/crash', 500, '{"status":"error","message":"Error interno del servidor"}'],
      ['es', '/nope', 404, '{"status":"fail","data":{"message":"No encontrado"}}'],
      ['es', '/limited', 429, '{"status":"fail","data":{"message":"Demasiadas solicitudes, inténtelo de nuevo más tarde."}}'],
      ['es', '/body', 400, '{"status":"fail","data":{"body":"Cuerpo de la solicitud mal formado"}}'],
      ['pt', '/invalid', 400, '{"status":"fail","data":{"email":"is required"}}'],
      ['pt', '/crash', 500, '{"status":"error","message":"Erro interno do servidor"}'],
      ['pt', '/nope', 404, '{"status":"fail","data":{"message":"Não encontrado"}}'],
      ['pt', '/limited', 429, '{"status":"fail","data":{"message":"Muitas requisições, tente novamente mais tarde."}}'],
      ['pt', '/body', 400, '{"status":"fail","data":{"body":"Corpo da requisição malformado"}}'],
    ],
  },
  {
    format: 'problem',
    options: {},
    responses: [
      [
        'en',
        '/invalid',
        400,
        '{"type":"about:blank","title":"Bad Request","status":400,"detail":"email: is required","instance":"/invalid","errors":[{"detail":"is required","pointer":"#/email"}]}',
      ],
      [
        'en',
        '/crash',
        500,
        '{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"Internal Server Error","instance":"/crash"}',
      ],
      ['en', '/nope', 404, '{"type":"about:blank","title":"Not Found","status":404,"detail":"Not Found","instance":"/nope"}'],
      [
        'en',
        '/limited',
        429,
        '{"type":"https://iana.org/assignments/http-problem-types#quota-exceeded","title":"Too Many Requests","status":429,"detail":"Too many requests, please try again later.","instance":"/limited"}',
      ],
      [
        'en',
        '/body',
        400,
        '{"type":"about:blank","title":"Bad Request","status":400,"detail":"Malformed request body","instance":"/body","errors":[{"detail":"Malformed request body","pointer":"#/"}]}',
      ],
      [
        'es',
        '/invalid',
        400,
        '{"type":"about:blank","title":"Solicitud incorrecta","status":400,"detail":"email: is required","instance":"/invalid","errors":[{"detail":"is required","pointer":"#/email"}]}',
      ],
      [
        'es',
        '/crash',
        500,
        '{"type":"about:blank","title":"Error interno del servidor","status":500,"detail":"Error interno del servidor","instance":"/crash"}',
      ],
      ['es', '/nope', 404, '{"type":"about:blank","title":"No encontrado","status":404,"detail":"No encontrado","instance":"/nope"}'],
      [
        'es',
        '/limited',
        429,
        '{"type":"https://iana.org/assignments/http-problem-types#quota-exceeded","title":"Demasiadas solicitudes","status":429,"detail":"Demasiadas solicitudes, inténtelo de nuevo más tarde.","instance":"/limited"}',
      ],
      [
        'es',
        '/body',
        400,
        '{"type":"about:blank","title":"Solicitud incorrecta","status":400,"detail":"Cuerpo de la solicitud mal formado","instance":"/body","errors":[{"detail":"Cuerpo de la solicitud mal formado","pointer":"#/"}]}',
      ],
      [
        'pt',
        '/invalid',
        400,
        '{"type":"about:blank","title":"Requisição inválida","status":400,"detail":"email: is required","instance":"/invalid","errors":[{"detail":"is required","pointer":"#/email"}]}',
      ],
      [
        'pt',
        '/crash',
        500,
        '{"type":"about:blank","title":"Erro interno do servidor","status":500,"detail":"Erro interno do servidor","instance":"/crash"}',
      ],
      ['pt', '/nope', 404, '{"type":"about:blank","title":"Não encontrado","status":404,"detail":"Não encontrado","instance":"/nope"}'],
      [
        'pt',
        '/limited',
        429,
        '{"type":"https://iana.org/assignments/http-problem-types#quota-exceeded","title":"Requisições demais","status":429,"detail":"Muitas requisições, tente novamente mais tarde.","instance":"/limited"}',
      ],
      [
        'pt',
        '/body',
        400,
        '{"type":"about:blank","title":"Requisição inválida","status":400,"detail":"Corpo da requisição malformado","instance":"/body","errors":[{"detail":"Corpo da requisição malformado","pointer":"#/"}]}',
      ],
    ],
  },
];

const LOCALES = ['en', 'es', 'pt'];

/** One preset under `locales`, with a validation failure, a crash, an unknown route, a rate limit and a bad body. */
function presetApp(flavor: Flavor, format: PresetName, options: Record<string, unknown>, extra: Partial<EnvelopeOptions> = {}) {
  const express = expressOf(flavor);
  const app = express();
  app.use(requestId());
  app.use(envelope(format, { ...options, locales: LOCALES, ...extra } as EnvelopeOptions));
  app.use(express.json());
  app.use('/limited', rateLimit({ limit: 0, validate: { limit: false } }) as never);
  app.get('/invalid', () => {
    throw createError(400, 'x', { details: [{ path: 'email', message: 'is required' }] });
  });
  app.get('/crash', () => {
    throw new Error('secret');
  });
  app.get('/ok', (_req, res) => {
    res.json({ id: 1 });
  });
  app.get('/client', () => {
    throw createError(404, 'Client not found', { code: 'CLIENT_NOT_FOUND' });
  });
  app.post('/body', (_req, res) => {
    res.json({});
  });
  app.use(notFound());
  app.use(errorHandler({ log: false }));
  return app;
}

const send = (app: ReturnType<typeof presetApp>, path: string) =>
  (path === '/body' ? request(app).post(path).set('Content-Type', 'application/json').send('{bad') : request(app).get(path)).set(
    'X-Request-Id',
    'req-1',
  );

describe.each(EXPRESS_FLAVORS)('locales on %s', (flavor) => {
  describe.each(PRESET_CASES.map((c) => [`${c.format}${c.options.variant ? ':' + String(c.options.variant) : ''}`, c] as const))(
    '%s',
    (_name, c) => {
      const app = presetApp(flavor, c.format, c.options);
      it.each(c.responses)('in %s, %s answers %i with the exact body', async (lang, path, status, body) => {
        const res = await send(app, path).set('Accept-Language', lang);
        expectEnvelope(res, {
          format: c.format,
          options: c.options,
          kind: 'error',
          status,
          body,
          contentType: c.format === 'problem' ? 'application/problem+json; charset=utf-8' : undefined,
          headers: { 'Content-Language': lang, Vary: 'Accept-Language' },
        });
      });
    },
  );

  describe('without locales', () => {
    it('keeps every text and adds no language header, whatever the client asks', async () => {
      const express = expressOf(flavor);
      const app = express();
      app.use(requestId());
      app.use(envelope('vbapi'));
      app.use(notFound());
      app.use(errorHandler({ log: false }));
      const res = await request(app).get('/nope').set('Accept-Language', 'es').set('X-Request-Id', 'req-1');
      expectEnvelope(res, {
        format: 'vbapi',
        kind: 'error',
        status: 404,
        body: '{"data":null,"error":{"type":"https://httpstatuses.com/404","title":"Not Found","status":404,"detail":"Not Found","instance":"/nope"},"debug":{"activityId":"req-1"}}',
      });
      expect([res.headers['content-language'], res.headers.vary]).toEqual([undefined, undefined]);
    });
  });
});

describe('negotiation', () => {
  const app = presetApp('express5', 'statusOk', {});
  const language = async (header?: string, before?: string): Promise<string> => {
    let req = request(app).get('/nope');
    if (header !== undefined) req = req.set('Accept-Language', header);
    if (before !== undefined) req = req.set('X-Test-Language', before);
    const res = await req;
    return `${res.headers['content-language']} ${JSON.parse(res.text).text}`;
  };

  it.each([
    [undefined, 'en Not Found'],
    ['es', 'es No encontrado'],
    ['es-MX', 'es No encontrado'],
    ['pt-BR,pt;q=0.9,en;q=0.8', 'pt Não encontrado'],
    ['es;q=0.5, pt;q=0.8', 'pt Não encontrado'],
    ['pt, es', 'pt Não encontrado'],
    ['es, pt', 'es No encontrado'],
    ['fr, de;q=0.9', 'en Not Found'],
    ['fr, pt;q=0.1', 'pt Não encontrado'],
    ['en;q=0, *', 'es No encontrado'],
    ['es;q=0, es-MX', 'en Not Found'],
    ['*;q=0.5, pt', 'pt Não encontrado'],
    ['ES', 'es No encontrado'],
    // Out-of-range q-values are read as Express's own negotiation (negotiator) reads them.
    ['es;q=abc, pt;q=2, en;q=0.3', 'pt Não encontrado'],
    ['es;q=abc, en;q=0.3', 'en Not Found'],
    [';;;, ,,', 'en Not Found'],
  ])('Accept-Language %p → %s', async (header, expected) => {
    expect(await language(header)).toBe(expected);
  });
});

describe("i18next-http-middleware's req.language", () => {
  const build = (language: string) =>
    createApp('express5', {
      before: [
        (req, _res, next) => {
          (req as typeof req & { language: string }).language = language;
          next();
        },
      ],
      mounts: [{ prefix: '/api', format: 'jsend', options: { locales: LOCALES }, routes: {} }],
    });

  it('wins over Accept-Language when it is one of locales', async () => {
    const res = await request(build('pt')).get('/api/nope').set('Accept-Language', 'es');
    expectEnvelope(res, {
      format: 'jsend',
      kind: 'error',
      status: 404,
      body: { status: 'fail', data: { message: 'Não encontrado' } },
      headers: { 'Content-Language': 'pt', Vary: 'Accept-Language' },
    });
  });

  it('is passed over when it is not one of locales', async () => {
    const res = await request(build('fr')).get('/api/nope').set('Accept-Language', 'es');
    expectEnvelope(res, {
      format: 'jsend',
      kind: 'error',
      status: 404,
      body: { status: 'fail', data: { message: 'No encontrado' } },
      headers: { 'Content-Language': 'es', Vary: 'Accept-Language' },
    });
  });
});

describe('Vary', () => {
  const withVary =
    (vary: string): Handler =>
    (_req, res, next) => {
      res.setHeader('Vary', vary);
      next();
    };
  it.each([
    ['Origin', 'Origin, Accept-Language'],
    ['Origin, accept-language', 'Origin, accept-language'],
    ['*', '*'],
  ])('merges Accept-Language into a Vary of %p', async (vary, expected) => {
    const app = createApp('express5', {
      before: [withVary(vary)],
      mounts: [{ prefix: '/api', format: 'jsend', options: { locales: LOCALES }, routes: {} }],
    });
    const res = await request(app).get('/api/nope').set('Accept-Language', 'es');
    expect([res.status, res.headers.vary, res.headers['content-language']]).toEqual([404, expected, 'es']);
  });

  it('is not added to a success, whose text the package did not choose', async () => {
    const res = await send(presetApp('express5', 'vbapi', {}), '/ok').set('Accept-Language', 'es');
    expectEnvelope(res, {
      format: 'vbapi',
      kind: 'success',
      status: 200,
      body: { data: { id: 1 }, error: null, debug: { activityId: 'req-1' } },
    });
    expect([res.headers['content-language'], res.headers.vary]).toEqual([undefined, undefined]);
  });
});

describe('messages per language', () => {
  const messages = { validation: 'Invalid: {issues}', es: { validation: 'Datos inválidos: {issues}' } };
  const app = presetApp('express5', 'vbapi', {}, { messages } as never);
  it.each([
    ['es', 'Solicitud incorrecta', 'Datos inválidos: email: is required'],
    ['pt', 'Requisição inválida', 'Invalid: email: is required'],
    ['en', 'Bad Request', 'Invalid: email: is required'],
  ])('in %s', async (lang, title, detail) => {
    const res = await send(app, '/invalid').set('Accept-Language', lang);
    expectEnvelope(res, {
      format: 'vbapi',
      kind: 'error',
      status: 400,
      body: {
        data: null,
        error: { type: 'https://httpstatuses.com/400', title, status: 400, detail, instance: '/invalid' },
        debug: { activityId: 'req-1' },
      },
    });
  });

  it('rejects a key that is neither a message nor one of locales', () => {
    expect(() => envelope('vbapi', { locales: ['en', 'es'], messages: { fr: { validation: 'x' } } } as never)).toThrow(
      expect.objectContaining({
        code: 'ERR_ENVELOPE_UNKNOWN_OPTION',
        message: 'vbapi: unknown message "fr"; known messages are validation, internalError; languages (from locales) are en, es',
      }),
    );
    expect(() => envelope('vbapi', { locales: ['en', 'es'], messages: { es: { validaton: 'x' } } } as never)).toThrow(
      expect.objectContaining({ code: 'ERR_ENVELOPE_UNKNOWN_OPTION' }),
    );
    expect(() => envelope('vbapi', { locales: ['en', 'es'], messages: { es: 'x' } } as never)).toThrow(
      expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION', message: 'vbapi: messages.es must be an object of texts' }),
    );
  });
});

describe('translate and formatIssue', () => {
  const DICTIONARY: Record<string, Record<string, string>> = {
    es: { CLIENT_NOT_FOUND: 'Cliente no encontrado' },
    pt: { CLIENT_NOT_FOUND: 'Cliente não encontrado' },
  };
  const seen: string[] = [];
  const translate: EnvelopeOptions['translate'] = (outcome, { locale, req }) => {
    seen.push(`${locale} ${req.url} ${outcome.packageText ?? '-'}`);
    return outcome.code === undefined ? undefined : DICTIONARY[locale]?.[outcome.code];
  };
  const app = presetApp('express5', 'statusOk', {}, { translate });
  beforeEach(() => seen.splice(0));

  it.each([
    ['es', 'Cliente no encontrado'],
    ['pt', 'Cliente não encontrado'],
    ['en', 'Client not found'],
  ])('rewords the app message in %s', async (lang, text) => {
    const res = await send(app, '/client').set('Accept-Language', lang);
    expectEnvelope(res, {
      format: 'statusOk',
      kind: 'error',
      status: 200,
      body: { status: 'error', code: 'CLIENT_NOT_FOUND', text },
      headers: { 'Content-Language': lang },
    });
    expect(seen).toEqual([`${lang} /client -`]);
  });

  it('sees a package text in English with its packageText, which the format then writes in the locale', async () => {
    const res = await send(app, '/nope').set('Accept-Language', 'pt');
    expect(JSON.parse(res.text)).toEqual({ status: 'error', code: 'not_found', text: 'Não encontrado' });
    expect(seen).toEqual(['pt /nope generic']);
  });

  it('renders an outcome it returns, and ignores one that is not an error outcome', async () => {
    const whole = presetApp(
      'express5',
      'statusOk',
      {},
      {
        translate: (outcome, { locale }) =>
          outcome.code === 'CLIENT_NOT_FOUND'
            ? { ...outcome, code: 'NO_CLIENT', message: `[${locale}] no client` }
            : ({ kind: 'success' } as never),
      },
    );
    expect((await send(whole, '/client').set('Accept-Language', 'pt')).text).toBe(
      '{"status":"error","code":"NO_CLIENT","text":"[pt] no client"}',
    );
    expect((await send(whole, '/nope').set('Accept-Language', 'pt')).text).toBe(
      '{"status":"error","code":"not_found","text":"Não encontrado"}',
    );
  });

  it('leaves the outcome as it was when it throws', async () => {
    const throwing = presetApp(
      'express5',
      'statusOk',
      {},
      {
        translate: () => {
          throw new Error('dictionary missing');
        },
      },
    );
    const res = await send(throwing, '/client').set('Accept-Language', 'es');
    expect(res.text).toBe('{"status":"error","code":"CLIENT_NOT_FOUND","text":"Client not found"}');
  });

  it('gives formatIssue the locale', async () => {
    const formatIssue: ErrorHandlerOptions['formatIssue'] = (issue, { locale }) => ({
      ...issue,
      message: locale === 'es' ? 'es obligatorio' : issue.message,
    });
    const localized = createApp('express5', {
      mounts: [
        {
          prefix: '/api',
          format: 'problem',
          options: { locales: LOCALES },
          routes: {
            '/invalid': () => {
              throw createError(400, 'x', { details: [{ path: 'email', message: 'is required' }] });
            },
          },
        },
      ],
      errorHandler: { formatIssue },
    });
    const res = await request(localized).get('/api/invalid').set('Accept-Language', 'es-ES');
    expectEnvelope(res, {
      format: 'problem',
      kind: 'error',
      status: 400,
      contentType: 'application/problem+json; charset=utf-8',
      body: {
        type: 'about:blank',
        title: 'Solicitud incorrecta',
        status: 400,
        detail: 'email: es obligatorio',
        instance: '/api/invalid',
        errors: [{ detail: 'es obligatorio', pointer: '#/email' }],
      },
      headers: { 'Content-Language': 'es' },
    });
  });

  it('needs locales, and checks them', () => {
    expect(() => envelope('vbapi', { translate } as never)).toThrow(
      expect.objectContaining({
        code: 'ERR_ENVELOPE_INVALID_OPTION',
        message: 'envelope(): translate needs locales (the languages it may be asked for)',
      }),
    );
    expect(() => errorHandler({ locales: [] })).toThrow(expect.objectContaining({ code: 'ERR_ENVELOPE_INVALID_OPTION' }));
    expect(() => errorHandler({ locales: ['en', 'EN'] })).toThrow(
      expect.objectContaining({ message: 'errorHandler(): "EN" appears twice in locales' }),
    );
    expect(() => errorHandler({ locales: ['en_US'] })).toThrow(
      expect.objectContaining({ message: 'errorHandler(): "en_US" in locales is not a language tag' }),
    );
    expect(() => envelope('vbapi', { locales: ['en'], translate: 'x' } as never)).toThrow(
      expect.objectContaining({ message: 'envelope(): translate must be a function' }),
    );
  });
});

describe('WispHub with per-language messages', () => {
  it('keeps its Spanish texts, but takes the messages given for the negotiated language', async () => {
    const app = presetApp('express5', 'backendResponse', {}, { messages: { en: { internalError: 'Internal server error.' } } } as never);
    const en = await send(app, '/crash').set('Accept-Language', 'en');
    const pt = await send(app, '/crash').set('Accept-Language', 'pt');
    expect([en.status, en.headers['content-language'], en.text]).toEqual([
      500,
      'en',
      '{"ok":false,"type":"error","action":"error","data":null,"message":"Internal server error.","meta":null}',
    ]);
    expect([pt.status, pt.headers['content-language'], pt.text]).toEqual([
      500,
      'pt',
      '{"ok":false,"type":"error","action":"error","data":null,"message":"Ocurrió un error interno en el servidor.","meta":null}',
    ]);
  });
});

describe("errorHandler's locales", () => {
  it('serve requests no envelope() claimed', async () => {
    const app = createApp('express5', { mounts: [], errorHandler: { locales: ['pt', 'en'] } });
    const res = await request(app).get('/nope').set('Accept-Language', 'en-GB;q=0.4, fr');
    expectEnvelope(res, {
      format: 'problem',
      kind: 'error',
      status: 404,
      contentType: 'application/problem+json; charset=utf-8',
      body: { type: 'about:blank', title: 'Not Found', status: 404, detail: 'Not Found', instance: '/nope' },
      headers: { 'Content-Language': 'en', Vary: 'Accept-Language' },
    });
  });
});

describe('problem validationType', () => {
  it('sets the type of validation problems only', async () => {
    const type = 'https://api.example.com/problems/validation';
    const app = createApp('express5', {
      mounts: [
        {
          prefix: '/api',
          format: 'problem',
          options: { validationType: type },
          routes: {
            '/invalid': () => {
              throw createError(400, 'x', { details: [{ path: 'email', message: 'is required' }] });
            },
          },
        },
      ],
    });
    const res = await request(app).get('/api/invalid');
    expectEnvelope(res, {
      format: 'problem',
      kind: 'error',
      status: 400,
      contentType: 'application/problem+json; charset=utf-8',
      body: {
        type,
        title: 'Bad Request',
        status: 400,
        detail: 'email: is required',
        instance: '/api/invalid',
        errors: [{ detail: 'is required', pointer: '#/email' }],
      },
    });
    const missing = await request(app).get('/api/nope');
    expect(JSON.parse(missing.text).type).toBe('about:blank');
  });

  it('must be an absolute URI', () => {
    expect(() => envelope('problem', { validationType: 'validation' })).toThrow(
      expect.objectContaining({
        code: 'ERR_ENVELOPE_INVALID_OPTION',
        message: 'problem: validationType must be an absolute URI; got "validation"',
      }),
    );
  });
});
