/**
 * Wire format versions, apart from their schemas so a client can name them
 * without building the schemas (the CLI's start-up). Bump on a breaking change.
 */
export const pushVersion = 1;
export const pullVersion = 1;
