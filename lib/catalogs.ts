// The package's own texts in English, Spanish and Portuguese, and how a locale finds its catalog.

import { STATUS_TITLES } from './status';

/** A text the package itself writes into an outcome's message; the outcome names it in `packageText`. */
export type PackageText =
  /** The generic message of the outcome's status: its title, or the preset's unexposed-5xx text. */
  | 'generic'
  | 'rateLimited'
  | 'malformedBody'
  | 'bodyTooLarge'
  | 'unsupportedEncoding'
  | 'unsupportedCharset'
  | 'requestAborted'
  | 'sizeMismatch'
  | 'verifyFailed'
  | 'tooManyParameters'
  | 'nestedTooDeeply'
  | 'streamEncodingSet'
  | 'streamNotReadable';

export interface Catalog {
  texts: Readonly<Record<Exclude<PackageText, 'generic'>, string>>;
  /** The validation texts of the presets: `{issues}` stands for `path: message; …`. */
  validationFailed: string;
  /** wispanel portal's validation text (its issues go in `details`). */
  validationFailedShort: string;
  /** wispanel license's validation text. */
  invalidRequestData: string;
  /** Status titles; a status missing here has the title `unknownStatus`. */
  titles: Readonly<Record<number, string>>;
  unknownStatus: string;
}

const en: Catalog = {
  texts: {
    rateLimited: 'Too many requests, please try again later.',
    malformedBody: 'Malformed request body',
    bodyTooLarge: 'Request body too large',
    unsupportedEncoding: 'Unsupported content encoding',
    unsupportedCharset: 'Unsupported charset',
    requestAborted: 'Request aborted',
    sizeMismatch: 'Request size did not match content length',
    verifyFailed: 'Request body verification failed',
    tooManyParameters: 'Too many parameters',
    nestedTooDeeply: 'Request body nested too deeply',
    streamEncodingSet: 'Request stream encoding should not be set',
    streamNotReadable: 'Request stream is not readable',
  },
  validationFailed: 'Validation failed: {issues}',
  validationFailedShort: 'Validation failed',
  invalidRequestData: 'Invalid request data',
  // Node's reason phrases, exactly what the presets print without `locales`.
  titles: STATUS_TITLES,
  unknownStatus: 'Error',
};

const es: Catalog = {
  texts: {
    rateLimited: 'Demasiadas solicitudes, inténtelo de nuevo más tarde.',
    malformedBody: 'Cuerpo de la solicitud mal formado',
    bodyTooLarge: 'Cuerpo de la solicitud demasiado grande',
    unsupportedEncoding: 'Codificación de contenido no admitida',
    unsupportedCharset: 'Juego de caracteres no admitido',
    requestAborted: 'Solicitud interrumpida',
    sizeMismatch: 'El tamaño de la solicitud no coincide con Content-Length',
    verifyFailed: 'Falló la verificación del cuerpo de la solicitud',
    tooManyParameters: 'Demasiados parámetros',
    nestedTooDeeply: 'Cuerpo de la solicitud anidado a demasiada profundidad',
    streamEncodingSet: 'No se debe fijar la codificación del flujo de la solicitud',
    streamNotReadable: 'El flujo de la solicitud no se puede leer',
  },
  validationFailed: 'Error de validación: {issues}',
  validationFailedShort: 'Error de validación',
  invalidRequestData: 'Datos de la solicitud no válidos',
  titles: {
    400: 'Solicitud incorrecta',
    401: 'No autorizado',
    402: 'Pago requerido',
    403: 'Prohibido',
    404: 'No encontrado',
    405: 'Método no permitido',
    406: 'No aceptable',
    407: 'Autenticación de proxy requerida',
    408: 'Tiempo de espera agotado',
    409: 'Conflicto',
    410: 'Ya no disponible',
    411: 'Longitud requerida',
    412: 'Falló la precondición',
    413: 'Contenido demasiado grande',
    414: 'URI demasiado larga',
    415: 'Tipo de contenido no admitido',
    416: 'Rango no satisfactorio',
    417: 'Falló la expectativa',
    418: 'Soy una tetera',
    421: 'Solicitud mal dirigida',
    422: 'Entidad no procesable',
    423: 'Bloqueado',
    424: 'Falló una dependencia',
    425: 'Demasiado pronto',
    426: 'Se requiere actualización',
    428: 'Precondición requerida',
    429: 'Demasiadas solicitudes',
    431: 'Campos de encabezado demasiado grandes',
    451: 'No disponible por razones legales',
    500: 'Error interno del servidor',
    501: 'No implementado',
    502: 'Puerta de enlace incorrecta',
    503: 'Servicio no disponible',
    504: 'Tiempo de espera de la puerta de enlace agotado',
    505: 'Versión de HTTP no admitida',
    506: 'La variante también negocia',
    507: 'Almacenamiento insuficiente',
    508: 'Bucle detectado',
    509: 'Límite de ancho de banda excedido',
    510: 'No extendido',
    511: 'Autenticación de red requerida',
  },
  unknownStatus: 'Error',
};

const pt: Catalog = {
  texts: {
    rateLimited: 'Muitas requisições, tente novamente mais tarde.',
    malformedBody: 'Corpo da requisição malformado',
    bodyTooLarge: 'Corpo da requisição grande demais',
    unsupportedEncoding: 'Codificação de conteúdo não suportada',
    unsupportedCharset: 'Conjunto de caracteres não suportado',
    requestAborted: 'Requisição interrompida',
    sizeMismatch: 'O tamanho da requisição não corresponde ao Content-Length',
    verifyFailed: 'Falha na verificação do corpo da requisição',
    tooManyParameters: 'Parâmetros demais',
    nestedTooDeeply: 'Corpo da requisição aninhado profundamente demais',
    streamEncodingSet: 'A codificação do fluxo da requisição não deve ser definida',
    streamNotReadable: 'O fluxo da requisição não pode ser lido',
  },
  validationFailed: 'Falha na validação: {issues}',
  validationFailedShort: 'Falha na validação',
  invalidRequestData: 'Dados da requisição inválidos',
  titles: {
    400: 'Requisição inválida',
    401: 'Não autorizado',
    402: 'Pagamento necessário',
    403: 'Proibido',
    404: 'Não encontrado',
    405: 'Método não permitido',
    406: 'Não aceitável',
    407: 'Autenticação de proxy necessária',
    408: 'Tempo da requisição esgotado',
    409: 'Conflito',
    410: 'Não está mais disponível',
    411: 'Comprimento necessário',
    412: 'Falha na pré-condição',
    413: 'Conteúdo grande demais',
    414: 'URI longa demais',
    415: 'Tipo de mídia não suportado',
    416: 'Intervalo não satisfatório',
    417: 'Falha na expectativa',
    418: 'Sou um bule de chá',
    421: 'Requisição mal direcionada',
    422: 'Entidade não processável',
    423: 'Bloqueado',
    424: 'Falha de dependência',
    425: 'Cedo demais',
    426: 'Atualização necessária',
    428: 'Pré-condição necessária',
    429: 'Requisições demais',
    431: 'Campos de cabeçalho grandes demais',
    451: 'Indisponível por motivos legais',
    500: 'Erro interno do servidor',
    501: 'Não implementado',
    502: 'Gateway inválido',
    503: 'Serviço indisponível',
    504: 'Tempo esgotado no gateway',
    505: 'Versão HTTP não suportada',
    506: 'Variante também negocia',
    507: 'Armazenamento insuficiente',
    508: 'Loop detectado',
    509: 'Limite de banda excedido',
    510: 'Não estendido',
    511: 'Autenticação de rede necessária',
  },
  unknownStatus: 'Erro',
};

const CATALOGS: Readonly<Record<string, Catalog>> = { en, es, pt };

/** The built-in languages. */
export const BUILT_IN_LOCALES = Object.keys(CATALOGS);

/**
 * The catalog for a locale: its own (`es`), else its primary subtag's (`pt-BR` → `pt`), else
 * English. Without a locale, English: the texts every preset writes without `locales`.
 */
export function catalogFor(locale: string | undefined): Catalog {
  if (locale === undefined) return en;
  const lower = locale.toLowerCase();
  if (Object.prototype.hasOwnProperty.call(CATALOGS, lower)) return CATALOGS[lower];
  const primary = lower.split('-')[0];
  return Object.prototype.hasOwnProperty.call(CATALOGS, primary) ? CATALOGS[primary] : en;
}

/** A status title in a catalog. */
export function titleIn(catalog: Catalog, status: number): string {
  return catalog.titles[status] ?? catalog.unknownStatus;
}

/** Marks an error made by this package (notFound(), rateLimit()) with the package text it carries. */
export const PACKAGE_TEXT: unique symbol = Symbol.for('express-envelope.packageText');

const KEYS = new Set<string>(['generic', ...Object.keys(en.texts)]);

export function isPackageText(value: unknown): value is PackageText {
  return typeof value === 'string' && KEYS.has(value);
}
