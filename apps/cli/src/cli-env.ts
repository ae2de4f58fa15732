/**
 * Every environment variable the CLI reads, declared once; `main` reads
 * process.env through this and nothing else touches it.
 */
export const cliEnvVars = {
  CAIRN_HOME: "Directory for all CLI config, credentials and local stores",
  CAIRN_DATA_DIR: "Server data directory (serve, admin) when --data is not given",
  CAIRN_DATABASE_URL: "postgres://… to run the server on PostgreSQL",
  CAIRN_HOST: "Server listen address (default 127.0.0.1)",
  CAIRN_PORT: "Server port (default 8787)",
  CAIRN_LOG_LEVEL: "Server log level (default info)",
  CAIRN_LOG_FORMAT:
    "Server log format: readable (one line a request; the default on a terminal) or json (the default otherwise)",
  CAIRN_DELETE_GUARD:
    "Server: warn|block; block refuses deletes (423) after a mass-deletion alert until it is acknowledged",
  CAIRN_DELETE_WARN_ABOVE: "Server: deletes within the window above which an alert is raised (default 10)",
  CAIRN_DELETE_CRITICAL_ABOVE: "Server: deletes within the window above which the alert is critical (default 50)",
  CAIRN_DELETE_WINDOW_MS: "Server: the window deletes are counted in (default 60000)",
  CAIRN_JOB_INTERVAL_MS: "Server: how often idle sessions are ended and the 30-day trash purged (default 60000)",
  CAIRN_JOB_POLL_MS: "Server: how often an idle job runner looks for due jobs (default 1000)",
  CAIRN_JOB_LEASE_MS: "Server: a claimed job's lease; a job whose worker died runs again after it (default 60000)",
  CAIRN_JOB_CONCURRENCY: "Server: jobs one server process runs at once, deliveries apart (default 8)",
  CAIRN_DELIVERY_CONCURRENCY: "Server: webhook deliveries sent at once (default 128)",
  CAIRN_DELIVERY_PER_ENDPOINT: "Server: webhook deliveries to one endpoint in flight at once, about (default 32)",
  CAIRN_JOB_RETRY_BASE_MS: "Server: a failed job's first retry delay, doubling to 5 minutes (default 1000)",
  CAIRN_WEBHOOK_ALLOW_HOSTS:
    "Server and admin: hosts webhooks may reach although internal (loopback, private networks), comma-separated name or name:port",
  CAIRN_ADMIN_USERS:
    "Server: the users (comma-separated names) who may see and retry the server's background jobs over HTTP (default admin)",
  CAIRN_EVENT_SCAN_MS:
    "Server: how often new changes are turned into webhook deliveries and session summaries (default 1000)",
  CAIRN_EMBEDDING_PROVIDER:
    "Server: the embedding model for hybrid search: none (default, BM25 only)|openai|openai-compatible",
  CAIRN_EMBEDDING_MODEL: "Server: the embedding model name (openai: text-embedding-3-small by default)",
  CAIRN_EMBEDDING_BASE_URL: "Server: the embedding provider's base URL (Ollama: http://127.0.0.1:11434/v1)",
  CAIRN_EMBEDDING_API_KEY: "Server: the embedding provider's API key (never logged)",
  CAIRN_QUERY_EMBEDDING_TIMEOUT_MS:
    "Server: how long a search waits for its query's embedding before BM25 alone (default 3000)",
  CAIRN_EMBEDDING_SCAN_MS: "Server: how often rows written since their embeddings are looked for (default 2000)",
  CAIRN_CHAT_PROVIDER: "Server: the chat model: offline (default, built in)|openai|anthropic|openai-compatible",
  CAIRN_CHAT_MODEL: "Server: the model name (required for openai-compatible)",
  CAIRN_CHAT_BASE_URL: "Server: the provider's base URL (Ollama: http://127.0.0.1:11434/v1)",
  CAIRN_CHAT_API_KEY: "Server: the provider's API key (never logged)",
  CAIRN_CHAT_MAX_STEPS: "Server: model steps in one chat turn before agent_turn_limit (default 8)",
  CAIRN_CHAT_HISTORY_MESSAGES: "Server: messages of history sent to the model (default 50)",
  CAIRN_CHAT_HISTORY_TOKENS: "Server: token budget of that history (default 8000)",
  CAIRN_CHAT_TIMEOUT_MS: "Server: deadline of one chat turn's model calls (default 60000)",
  CAIRN_CHAT_PER_MINUTE: "Server: chat requests per user per minute (default 60)",
  CAIRN_WRITES_PER_MINUTE: "Server: other writes per user per minute (default 600)",
  CAIRN_READS_PER_MINUTE: "Server: reads per user per minute (default 6000)",
  CAIRN_REDIS_URL: "Server: redis://… to share rate limits between server processes",
  CAIRN_PUSH_DEADLINE_MS: "Budget of the inline push after a write (default 1500)",
  CAIRN_AUTHOR: "Author recorded on entries (default: the OS user name)",
  CAIRN_AGENT: "The agent recorded on sessions the CLI starts (e.g. claude-code)",
  CAIRN_DEBUG: "1: internal errors print where they failed (a stack trace)",
  CAIRN_QUEUE_CAP: "Most unsent rows a scope's outbox holds before a write fails (default 100000)",
  CAIRN_DAEMON_TICK_MS: "How often the sync daemon retries without a new write (default 30000)",
  CAIRN_TEST_CRASH_AT: "Crash tests only: the process (server or CLI) kills itself (SIGKILL) at this named point",
  XDG_CONFIG_HOME: "Config base directory (Linux)",
  XDG_DATA_HOME: "Data base directory (Linux)",
  APPDATA: "Config base directory (Windows)",
  LOCALAPPDATA: "Data base directory (Windows)",
} as const;

export type CliEnv = Partial<Record<keyof typeof cliEnvVars, string>>;

/** Picks the declared variables out of an environment. */
export function readCliEnv(environment: Record<string, string | undefined>): CliEnv {
  const env: CliEnv = {};
  for (const name of Object.keys(cliEnvVars) as (keyof typeof cliEnvVars)[]) {
    const value = environment[name];
    if (value !== undefined && value !== "") env[name] = value;
  }
  return env;
}
