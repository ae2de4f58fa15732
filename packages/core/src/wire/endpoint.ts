import type * as z from "zod";

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

/**
 * How an endpoint's request and answer travel: JSON both ways (the default); a raw text body
 * (the signed webhook ingest: the signature covers the bytes); an NDJSON stream (the export);
 * JSON, or server-sent events when asked (chat and the oracle); server-sent events only (the live
 * change feed: `output` is then each event's data).
 */
export type EndpointKind = "json" | "raw-body" | "ndjson" | "json-or-events" | "events";

/** What an endpoint takes: path parameters, the query string and the body, each with its schema. */
export interface EndpointInput {
  params?: z.ZodType<Record<string, string>, Record<string, string>> | undefined;
  query?: z.ZodType | undefined;
  body?: z.ZodType | undefined;
}

/**
 * One HTTP endpoint of the API: method, path (`:name` for a parameter), what it takes and what it
 * answers. The server registers its routes from these; every client calls through them.
 */
export interface Endpoint<Input extends EndpointInput = EndpointInput, Output extends z.ZodType = z.ZodType> {
  method: HttpMethod;
  path: string;
  input: Input;
  output: Output;
  /** The success status (200 unless said). */
  status?: 200 | 201;
  /** Open without a bearer token (health, the signed ingest). */
  public?: boolean;
  kind?: EndpointKind;
}

export function endpoint<Input extends EndpointInput, Output extends z.ZodType>(
  definition: Endpoint<Input, Output>,
): Endpoint<Input, Output> {
  return definition;
}

type Parsed<Schema> = Schema extends z.ZodType ? z.output<Schema> : undefined;
type Given<Schema> = Schema extends z.ZodType ? z.input<Schema> : undefined;

/** What a handler receives: each part parsed by its schema (defaults applied). */
export interface ParsedInput<E extends Endpoint> {
  params: Parsed<E["input"]["params"]>;
  query: Parsed<E["input"]["query"]>;
  body: Parsed<E["input"]["body"]>;
}

/** What a client gives: the parts the endpoint takes, as their schemas accept them. */
export type RequestOf<E extends Endpoint> = {
  [Part in keyof E["input"] as E["input"][Part] extends z.ZodType ? Part : never]: Given<E["input"][Part]>;
};

/** What a handler returns (the schema's input), and what a client gets (its output). */
export type AnswerOf<E extends Endpoint> = z.input<E["output"]>;
export type OutputOf<E extends Endpoint> = z.output<E["output"]>;

/** The endpoint's path with its parameters filled in, and its query string. */
export function urlOf(path: string, request: { params?: Record<string, string>; query?: unknown }): string {
  const filled = path.replace(/:([A-Za-z]+)/g, (_match, name: string) => {
    const value = request.params?.[name];
    if (value === undefined) throw new Error(`${path}: no value for :${name}`);
    return encodeURIComponent(value);
  });
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `${filled}?${text}` : filled;
}
