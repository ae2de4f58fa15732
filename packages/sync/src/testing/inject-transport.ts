import type { HttpTransport } from "../http-transport";

/** The part of a Fastify app that in-process tests call. */
export interface Injectable {
  inject(options: {
    method: "GET" | "POST";
    url: string;
    headers: Record<string, string>;
    payload?: string;
  }): Promise<{ statusCode: number; headers: Record<string, unknown>; body: string }>;
}

/** A transport into an app in this process (Fastify's inject): the real routes, no sockets. */
export function injectTransport(app: Injectable): HttpTransport {
  return async (request) => {
    const response = await app.inject({
      method: request.method as "GET",
      url: request.url.pathname + request.url.search,
      headers: request.headers,
      ...(request.body === undefined ? {} : { payload: request.body }),
    });
    return { status: response.statusCode, headers: response.headers as Record<string, string>, body: response.body };
  };
}
